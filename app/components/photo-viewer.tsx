import { useEffect, useRef, useState, type PointerEvent } from "react";
import { useT } from "~/i18n/use-t";

export interface ViewerPage {
  id: number;
  pageNumber: number;
  imageUrl: string;
  lines: string[];
}

const ZOOMS = [100, 150, 200, 300];

/**
 * A page photo, full screen on a phone: zoom (buttons, and the browser's own pinch), swipe or
 * buttons to the neighbouring pages, and the page's text under the photo as its text
 * alternative. A native <dialog>: focus stays inside, Esc closes, focus returns on close.
 */
export function PhotoViewer({
  pages,
  index,
  onIndex,
  onClose,
}: {
  pages: ViewerPage[];
  index: number | null;
  onIndex: (index: number) => void;
  onClose: () => void;
}) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const [zoom, setZoom] = useState(100);
  const page = index === null ? null : pages[index];

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (page && !d.open) d.showModal();
    if (!page && d.open) d.close();
  }, [page]);
  useEffect(() => setZoom(100), [index]);

  const move = (step: number) => {
    if (index === null) return;
    const next = index + step;
    if (next >= 0 && next < pages.length) onIndex(next);
  };
  const onPointerDown = (e: PointerEvent) => {
    start.current = { x: e.clientX, y: e.clientY };
  };
  const onPointerUp = (e: PointerEvent) => {
    const from = start.current;
    start.current = null;
    // A swipe turns the page only at the whole-page size; zoomed in, a drag moves the photo.
    if (!from || zoom !== 100) return;
    const dx = e.clientX - from.x;
    const dy = e.clientY - from.y;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 1.5 * Math.abs(dy)) move(dx < 0 ? 1 : -1);
  };
  const zoomBy = (step: number) => {
    const i = ZOOMS.indexOf(zoom) + step;
    if (i >= 0 && i < ZOOMS.length) setZoom(ZOOMS[i]!);
  };

  return (
    <dialog
      ref={dialog}
      className="photo-viewer"
      aria-labelledby="viewer-title"
      onClose={onClose}
      onKeyDown={(e) => {
        // Zoomed in, the arrows move the photo (the frame scrolls); at full view they turn pages.
        if (zoom !== 100) return;
        if (e.key === "ArrowLeft") move(-1);
        if (e.key === "ArrowRight") move(1);
      }}
    >
      {page ? (
        <>
          <div className="photo-viewer__bar">
            <h2 id="viewer-title" aria-live="polite">
              {t("viewer.title", { n: page.pageNumber })}
            </h2>
            <button type="button" onClick={() => dialog.current?.close()}>
              {t("viewer.close")}
            </button>
          </div>
          <div className="photo-viewer__tools">
            <button
              type="button"
              onClick={() => zoomBy(-1)}
              disabled={zoom === ZOOMS[0]}
              aria-label={t("viewer.zoomOut")}
            >
              −
            </button>
            <output aria-live="polite" data-testid="viewer-zoom">
              {t("viewer.zoom", { n: zoom })}
            </output>
            <button
              type="button"
              onClick={() => zoomBy(1)}
              disabled={zoom === ZOOMS[ZOOMS.length - 1]}
              aria-label={t("viewer.zoomIn")}
            >
              ＋
            </button>
          </div>
          <div
            // At full view a sideways swipe is ours (turn the page); zoomed in, the browser pans.
            className={`photo-viewer__frame${zoom === 100 ? " photo-viewer__frame--swipe" : ""}`}
            data-testid="viewer-frame"
            // Zoomed in, the photo scrolls: from the keyboard too.
            tabIndex={zoom === 100 ? undefined : 0}
            role={zoom === 100 ? undefined : "group"}
            aria-label={zoom === 100 ? undefined : t("viewer.title", { n: page.pageNumber })}
            onPointerDown={onPointerDown}
            onPointerUp={onPointerUp}
            onPointerCancel={() => (start.current = null)}
          >
            <img
              src={page.imageUrl}
              alt={t("viewer.alt", { n: page.pageNumber })}
              style={{ width: `${zoom}%` }}
              draggable={false}
            />
          </div>
          <p className="hint">{pages.length > 1 ? t("viewer.swipeHint") : null}</p>
          <div className="photo-viewer__nav">
            <button type="button" onClick={() => move(-1)} disabled={index === 0}>
              {t("viewer.previous")}
            </button>
            <button type="button" onClick={() => move(1)} disabled={index === pages.length - 1}>
              {t("viewer.next")}
            </button>
          </div>
          <section aria-labelledby="viewer-text" className="photo-viewer__text" lang="ja">
            <h3 id="viewer-text">{t("viewer.text")}</h3>
            {page.lines.map((line, i) => (
              <p key={i}>{line || "\u00a0"}</p>
            ))}
          </section>
        </>
      ) : null}
    </dialog>
  );
}
