import { useRevalidator } from "@remix-run/react";
import { useState, type ChangeEvent, type DragEvent } from "react";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";

interface Item {
  id: number;
  name: string;
  percent: number;
  state: "uploading" | "added" | "duplicate" | "error";
  message?: { key: MessageKey; params?: Record<string, string | number> };
}

let nextId = 1;

/**
 * Many photos at once: camera capture, file picker or drag and drop. Each file is sent on its own
 * request so that it shows its own progress; without JavaScript the surrounding form posts them
 * all at once instead.
 */
export function ScanUploader({ uploadUrl }: { uploadUrl: string }) {
  const t = useT();
  const revalidator = useRevalidator();
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);

  const update = (id: number, patch: Partial<Item>) =>
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...patch } : item)));

  function send(file: File) {
    const id = nextId++;
    setItems((list) => [{ id, name: file.name, percent: 0, state: "uploading" }, ...list]);
    const body = new FormData();
    body.append("photos", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", uploadUrl);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) update(id, { percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.onload = () => {
      const r = xhr.response as { status: string; pageNumber?: number; key?: MessageKey } | null;
      if (r?.status === "added")
        update(id, {
          state: "added",
          percent: 100,
          message: { key: "scan.added", params: { page: r.pageNumber! } },
        });
      else if (r?.status === "duplicate")
        update(id, {
          state: "duplicate",
          percent: 100,
          message: { key: "upload.duplicate", params: { page: r.pageNumber! } },
        });
      else
        update(id, {
          state: "error",
          message: { key: r?.key ?? (xhr.status === 413 ? "upload.tooLarge" : "errorPage.500") },
        });
      revalidator.revalidate();
    };
    xhr.onerror = () => update(id, { state: "error", message: { key: "errorPage.500" } });
    xhr.send(body);
  }

  function sendAll(files: FileList | null) {
    if (!files) return;
    for (const file of Array.from(files)) send(file);
  }

  function onPick(e: ChangeEvent<HTMLInputElement>) {
    sendAll(e.currentTarget.files);
    // Cleared so that choosing the same file again still sends it (and is reported as a duplicate).
    e.currentTarget.value = "";
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    sendAll(e.dataTransfer.files);
  }

  return (
    <div>
      <div
        className={`dropzone${dragging ? " dropzone--active" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <div className="actions">
          <label className="button">
            {t("scan.camera")}
            <input
              className="visually-hidden"
              type="file"
              accept="image/*"
              capture="environment"
              onChange={onPick}
            />
          </label>
          <label className="button button--quiet">
            {t("scan.choose")}
            <input
              className="visually-hidden"
              type="file"
              name="photos"
              accept="image/jpeg,image/png,image/webp,image/*"
              multiple
              data-testid="photo-picker"
              onChange={onPick}
            />
          </label>
        </div>
        <p className="muted">{t("scan.drop")}</p>
      </div>
      {items.length > 0 ? (
        <ul className="list-plain" aria-live="polite">
          {items.map((item) => (
            <li key={item.id} className={`upload upload--${item.state}`}>
              <span className="upload__name">{item.name}</span>{" "}
              {item.state === "uploading" ? (
                <>
                  <progress max={100} value={item.percent} aria-label={item.name} />{" "}
                  {t("scan.uploading", { percent: item.percent })}
                </>
              ) : item.message ? (
                <span role={item.state === "error" ? "alert" : undefined}>
                  {t(item.message.key, item.message.params)}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
