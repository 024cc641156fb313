import { useCallback, useEffect, useRef, useState, type PointerEvent } from "react";
import { useT } from "~/i18n/use-t";
import type { Box } from "~/utils/transcript";

interface ImageViewerProps {
  src: string;
  alt: string;
  width: number;
  height: number;
  boxes: Array<{ box: Box | null; low: boolean }>;
  active: number | null;
  onSelect: (index: number) => void;
}

const ZOOMS = [1, 1.5, 2, 3, 4];

/**
 * The page photo with the OCR line boxes drawn over it. Zoom widens the picture inside a
 * scrolling frame, so panning is plain scrolling (drag, wheel, scroll bars, keyboard) and works
 * without JavaScript too; the boxes are an SVG in image coordinates and scale with it.
 */
export function ImageViewer({
  src,
  alt,
  width,
  height,
  boxes,
  active,
  onSelect,
}: ImageViewerProps) {
  const t = useT();
  const frame = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(1);
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean } | null>(
    null,
  );

  const centreOn = useCallback(
    (box: Box, behavior: ScrollBehavior = "smooth") => {
      const el = frame.current;
      if (!el) return;
      const scale = el.scrollWidth / width;
      el.scrollTo({
        left: ((box.x0 + box.x1) / 2) * scale - el.clientWidth / 2,
        top: ((box.y0 + box.y1) / 2) * scale - el.clientHeight / 2,
        behavior,
      });
    },
    [width],
  );

  const activeBox = active !== null ? (boxes[active]?.box ?? null) : null;
  useEffect(() => {
    if (activeBox) centreOn(activeBox);
  }, [activeBox, centreOn, zoom]);

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

  const step = (dir: 1 | -1) => {
    const i = ZOOMS.indexOf(zoom);
    setZoom(ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, i + dir))]!);
  };

  return (
    <div className="viewer">
      <div className="viewer__tools" role="group" aria-label={t("review.zoom")}>
        <button
          type="button"
          className="button--small button--quiet"
          onClick={() => step(-1)}
          disabled={zoom === ZOOMS[0]}
        >
          {t("review.zoomOut")}
        </button>
        <span className="muted" aria-live="polite">
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
        <button type="button" className="button--small button--quiet" onClick={() => setZoom(1)}>
          {t("review.zoomFit")}
        </button>
      </div>
      <div
        className="viewer__frame"
        ref={frame}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (drag.current = null)}
        data-testid="viewer"
      >
        <div className="viewer__canvas" style={{ width: `${zoom * 100}%` }}>
          <img src={src} alt={alt} width={width} height={height} draggable={false} />
          <svg
            className="viewer__boxes"
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            aria-hidden="true"
          >
            {boxes.map(({ box, low }, i) =>
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
