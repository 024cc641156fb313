import { useBeforeUnload, useBlocker, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type DragEvent } from "react";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";

/** A photo picked but not sent yet: staff can still put it in order or take it out. */
interface TrayItem {
  id: number;
  file: File;
  /** An object URL for the thumbnail, revoked when the photo leaves the tray. */
  preview: string;
}

interface Item {
  id: number;
  name: string;
  percent: number;
  state: "waiting" | "uploading" | "added" | "duplicate" | "error";
  message?: { key: MessageKey; params?: Record<string, string | number> };
}

let nextId = 1;

/**
 * Many photos at once: camera capture, file picker or drag and drop. Picked photos first wait in
 * a tray, in the order they were picked, where staff can reorder or remove them; "send in this
 * order" then sends them one after another, so that page numbers follow that order (each photo
 * on its own request, with its own progress). Without JavaScript the surrounding form posts them
 * all at once instead, also numbered in order.
 */
export function ScanUploader({ uploadUrl, nextPage }: { uploadUrl: string; nextPage: number }) {
  const t = useT();
  const revalidator = useRevalidator();
  const [tray, setTray] = useState<TrayItem[]>([]);
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const sending = items.some((i) => i.state === "waiting" || i.state === "uploading");
  const unsent = tray.length > 0 || sending;

  // Object URLs of the tray are freed when the uploader goes away.
  const trayRef = useRef(tray);
  trayRef.current = tray;
  useEffect(() => () => trayRef.current.forEach((item) => URL.revokeObjectURL(item.preview)), []);

  // Photos not yet sent are not lost silently: leaving the page asks first.
  useBeforeUnload(
    useCallback(
      (e) => {
        if (unsent) e.preventDefault();
      },
      [unsent],
    ),
  );
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      unsent && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(t("scan.leaveTray"))) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);

  const update = (id: number, patch: Partial<Item>) =>
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...patch } : item)));

  function send(id: number, file: File): Promise<void> {
    update(id, { state: "uploading", percent: 0 });
    return new Promise((resolve) => {
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
            message: {
              key: r?.key ?? (xhr.status === 413 ? "upload.tooLarge" : "errorPage.500"),
            },
          });
        revalidator.revalidate();
        resolve();
      };
      xhr.onerror = () => {
        update(id, { state: "error", message: { key: "errorPage.500" } });
        resolve();
      };
      xhr.send(body);
    });
  }

  /** Sends the tray from the top, one photo after another, so numbers follow the order. */
  async function sendTray() {
    const batch = tray;
    if (batch.length === 0) return;
    setTray([]);
    const queued = batch.map((b) => ({ id: b.id, name: b.file.name }));
    setItems((list) => [
      ...list,
      ...queued.map((q) => ({ id: q.id, name: q.name, percent: 0, state: "waiting" as const })),
    ]);
    for (const b of batch) {
      await send(b.id, b.file);
      URL.revokeObjectURL(b.preview);
    }
  }

  function addToTray(files: FileList | null) {
    if (!files || files.length === 0) return;
    const picked = Array.from(files).map((file) => ({
      id: nextId++,
      file,
      preview: URL.createObjectURL(file),
    }));
    setTray((list) => [...list, ...picked]);
  }

  function move(index: number, by: -1 | 1) {
    setTray((list) => {
      const to = index + by;
      if (to < 0 || to >= list.length) return list;
      const next = [...list];
      [next[index], next[to]] = [next[to]!, next[index]!];
      return next;
    });
  }

  function removeFromTray(id: number) {
    setTray((list) => {
      const item = list.find((i) => i.id === id);
      if (item) URL.revokeObjectURL(item.preview);
      return list.filter((i) => i.id !== id);
    });
  }

  function clearTray() {
    tray.forEach((item) => URL.revokeObjectURL(item.preview));
    setTray([]);
  }

  function onPick(e: ChangeEvent<HTMLInputElement>) {
    addToTray(e.currentTarget.files);
    // Cleared so that choosing the same file again still adds it (and is reported as a duplicate).
    e.currentTarget.value = "";
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    addToTray(e.dataTransfer.files);
  }

  // Pages still being sent take numbers before the tray's photos.
  const firstTrayPage =
    nextPage + items.filter((i) => i.state === "waiting" || i.state === "uploading").length;

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
      {tray.length > 0 ? (
        <section className="tray" aria-labelledby="tray-title" data-testid="tray">
          <h3 id="tray-title">{t("scan.trayTitle", { n: tray.length })}</h3>
          <p className="hint">{t("scan.trayHint", { first: firstTrayPage })}</p>
          <ol className="list-plain tray__list">
            {tray.map((item, i) => (
              <li key={item.id} className="tray__item" data-testid={`tray-${i}`}>
                <img
                  className="tray__thumb"
                  src={item.preview}
                  alt={t("scan.trayThumbAlt", { n: i + 1, name: item.file.name })}
                  width={72}
                />
                <div className="tray__body">
                  <strong>{t("scan.trayPage", { n: firstTrayPage + i })}</strong>
                  <span className="tray__name">{item.file.name}</span>
                </div>
                <div className="actions">
                  <button
                    type="button"
                    className="button--small button--quiet"
                    onClick={() => move(i, -1)}
                    disabled={i === 0}
                    aria-label={t("scan.trayUpLabel", { name: item.file.name })}
                  >
                    {t("scan.trayUp")}
                  </button>
                  <button
                    type="button"
                    className="button--small button--quiet"
                    onClick={() => move(i, 1)}
                    disabled={i === tray.length - 1}
                    aria-label={t("scan.trayDownLabel", { name: item.file.name })}
                  >
                    {t("scan.trayDown")}
                  </button>
                  <button
                    type="button"
                    className="button--small button--quiet"
                    onClick={() => removeFromTray(item.id)}
                    aria-label={t("scan.trayRemoveLabel", { name: item.file.name })}
                  >
                    {t("scan.trayRemove")}
                  </button>
                </div>
              </li>
            ))}
          </ol>
          <div className="actions">
            <button type="button" className="button--primary" onClick={() => void sendTray()}>
              {t("scan.trayStart", { n: tray.length })}
            </button>
            <button type="button" className="button--quiet" onClick={clearTray}>
              {t("scan.trayClear")}
            </button>
          </div>
        </section>
      ) : null}
      {items.length > 0 ? (
        <ul className="list-plain" aria-live="polite">
          {items.map((item) => (
            <li key={item.id} className={`upload upload--${item.state}`}>
              <span className="upload__name">{item.name}</span>{" "}
              {item.state === "waiting" ? (
                <span className="muted">{t("scan.waiting")}</span>
              ) : item.state === "uploading" ? (
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
