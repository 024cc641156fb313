import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from "react";
import { useT } from "~/i18n/use-t";
import { toCropBox, type CropGeometry } from "~/utils/crop-map";
import type { Box } from "~/utils/transcript";

interface ImageViewerProps {
  /** The viewing image (the whole upright photo); boxes are in its pixels. */
  src: string;
  alt: string;
  width: number;
  height: number;
  /** The straightened page crop OCR made, shown first when there is one. */
  crop?: (CropGeometry & { src: string }) | null;
  boxes: Array<{ box: Box | null; low: boolean }>;
  active: number | null;
  onSelect: (index: number) => void;
}

const ZOOMS = [1, 1.5, 2, 3, 4];
/** How far one arrow key moves the picture, as a share of the frame. */
const PAN_STEP = 0.15;

/**
 * The page photo with the OCR line boxes drawn over it. Zoom widens the picture inside a
 * scrolling frame, so panning is plain scrolling (drag, wheel, scroll bars, keyboard) and works
 * without JavaScript too; the boxes are an SVG in image coordinates and scale with it.
 * By default it shows the straightened page (the crop) with the boxes mapped onto it; one click
 * shows the original photo. The frame takes the keyboard only while it has the focus: arrows
 * pan, + and − zoom, 0 fits.
 */
export function ImageViewer({
  src,
  alt,
  width,
  height,
  crop,
  boxes,
  active,
  onSelect,
}: ImageViewerProps) {
  const t = useT();
  const hintId = useId();
  const frame = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(1);
  const [view, setView] = useState<"crop" | "photo">("crop");
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean } | null>(
    null,
  );
  /** The picture point to keep in the middle across a zoom from the keyboard. */
  const anchor = useRef<{ fx: number; fy: number } | null>(null);

  const onCrop = view === "crop" && !!crop;
  const image = onCrop
    ? { src: crop.src, width: crop.width, height: crop.height }
    : { src, width, height };
  const shown = useMemo(
    () =>
      onCrop
        ? boxes.map((b) => ({ ...b, box: b.box && toCropBox(crop, { width, height }, b.box) }))
        : boxes,
    [onCrop, crop, boxes, width, height],
  );

  const centreOn = useCallback(
    (box: Box, behavior: ScrollBehavior = "smooth") => {
      const el = frame.current;
      if (!el) return;
      const scale = el.scrollWidth / image.width;
      el.scrollTo({
        left: ((box.x0 + box.x1) / 2) * scale - el.clientWidth / 2,
        top: ((box.y0 + box.y1) / 2) * scale - el.clientHeight / 2,
        behavior,
      });
    },
    [image.width],
  );

  const activeBox = active !== null ? (shown[active]?.box ?? null) : null;
  // Keyed by position: the editor passes new box objects on every keystroke.
  const activeKey = activeBox
    ? `${activeBox.x0},${activeBox.y0},${activeBox.x1},${activeBox.y1}`
    : "";
  const latestBox = useRef(activeBox);
  latestBox.current = activeBox;
  useEffect(() => {
    if (latestBox.current) centreOn(latestBox.current);
  }, [activeKey, centreOn]);

  // After a zoom or a change of picture: keep the point the keyboard user was looking at, or
  // bring the line being edited into view.
  useLayoutEffect(() => {
    const el = frame.current;
    const a = anchor.current;
    anchor.current = null;
    if (!el) return;
    if (a) {
      el.scrollTo({
        left: a.fx * el.scrollWidth - el.clientWidth / 2,
        top: a.fy * el.scrollHeight - el.clientHeight / 2,
      });
    } else if (latestBox.current) centreOn(latestBox.current, "auto");
    else el.scrollTo({ left: 0, top: 0 });
  }, [zoom, view, centreOn]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const el = frame.current;
    if (!el || e.button !== 0) return;
    drag.current = {
      x: e.clientX,
      y: e.clientY,
      left: el.scrollLeft,
      top: el.scrollTop,
      moved: false,
    };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const el = frame.current;
    if (!d || !el) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) el.setPointerCapture(e.pointerId);
    d.moved = true;
    el.scrollLeft = d.left - dx;
    el.scrollTop = d.top - dy;
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    const target = (e.target as Element).closest("[data-line]");
    if (target) onSelect(Number(target.getAttribute("data-line")));
  };

  const zoomTo = (next: number, keepView: boolean) => {
    const el = frame.current;
    if (next === zoom) return;
    anchor.current =
      keepView && el
        ? {
            fx: (el.scrollLeft + el.clientWidth / 2) / el.scrollWidth,
            fy: (el.scrollTop + el.clientHeight / 2) / el.scrollHeight,
          }
        : null;
    setZoom(next);
  };
  const step = (dir: 1 | -1, keepView = false) => {
    const i = ZOOMS.indexOf(zoom);
    zoomTo(ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, i + dir))]!, keepView);
  };

  // Only while the frame itself has the focus, and never with a modifier: the line editor's
  // Enter, arrows, Ctrl+S and Ctrl+Enter belong to its fields and the page.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = frame.current;
    if (!el || e.target !== e.currentTarget) return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.nativeEvent.isComposing) return;
    const dx = el.clientWidth * PAN_STEP;
    const dy = el.clientHeight * PAN_STEP;
    switch (e.key) {
      case "ArrowLeft":
        el.scrollBy({ left: -dx });
        break;
      case "ArrowRight":
        el.scrollBy({ left: dx });
        break;
      case "ArrowUp":
        el.scrollBy({ top: -dy });
        break;
      case "ArrowDown":
        el.scrollBy({ top: dy });
        break;
      case "+":
      case "=":
        step(1, true);
        break;
      case "-":
        step(-1, true);
        break;
      case "0":
        zoomTo(1, false);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="viewer">
      <div className="viewer__tools">
        {crop ? (
          <div role="group" aria-label={t("review.photoView")} className="segmented">
            <button
              type="button"
              className="button--small button--quiet"
              aria-pressed={view === "crop"}
              onClick={() => setView("crop")}
            >
              {t("review.viewCrop")}
            </button>
            <button
              type="button"
              className="button--small button--quiet"
              aria-pressed={view === "photo"}
              onClick={() => setView("photo")}
            >
              {t("review.viewPhoto")}
            </button>
          </div>
        ) : null}
        <div role="group" aria-label={t("review.zoom")} className="viewer__zoom">
          <button
            type="button"
            className="button--small button--quiet"
            onClick={() => step(-1)}
            disabled={zoom === ZOOMS[0]}
          >
            {t("review.zoomOut")}
          </button>
          <span className="muted" aria-live="polite" data-testid="zoom-level">
            <span className="visually-hidden">{t("review.zoomLevel")} </span>
            {Math.round(zoom * 100)}%
          </span>
          <button
            type="button"
            className="button--small button--quiet"
            onClick={() => step(1)}
            disabled={zoom === ZOOMS[ZOOMS.length - 1]}
          >
            {t("review.zoomIn")}
          </button>
          <button
            type="button"
            className="button--small button--quiet"
            onClick={() => zoomTo(1, false)}
          >
            {t("review.zoomFit")}
          </button>
        </div>
      </div>
      <p className="hint" id={hintId}>
        {t("review.photoKeys")}
      </p>
      {/* Focusable so that keyboard users can scroll it (axe: scrollable-region-focusable). */}
      <div
        className="viewer__frame"
        ref={frame}
        role="region"
        aria-label={t("review.photoFrame")}
        aria-describedby={hintId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (drag.current = null)}
        data-testid="viewer"
        data-view={onCrop ? "crop" : "photo"}
      >
        <div className="viewer__canvas" style={{ width: `${zoom * 100}%` }}>
          <img
            key={image.src}
            src={image.src}
            alt={alt}
            width={image.width}
            height={image.height}
            draggable={false}
          />
          <svg
            className="viewer__boxes"
            viewBox={`0 0 ${image.width} ${image.height}`}
            preserveAspectRatio="none"
            aria-hidden="true"
          >
            {shown.map(({ box, low }, i) =>
              box ? (
                <rect
                  key={i}
                  data-line={i}
                  data-testid={`box-${i}`}
                  className={`viewer__box${low ? " viewer__box--low" : ""}${i === active ? " viewer__box--active" : ""}`}
                  x={box.x0}
                  y={box.y0}
                  width={Math.max(1, box.x1 - box.x0)}
                  height={Math.max(1, box.y1 - box.y0)}
                />
              ) : null,
            )}
          </svg>
        </div>
      </div>
    </div>
  );
}
