/**
 * The straightened page crop and how line boxes land on it. OCR stores line boxes on the viewing
 * image (the upright photo); the crop is that image turned by the deskew angle about its centre
 * and cut to the sheet of paper. Pure geometry, shared by the server and the page editor.
 */
import type { Box } from "./transcript";

export interface CropGeometry {
  /** Deskew angle, degrees: the crop is the viewing image turned by −angle (sharp `rotate(-angle)`). */
  angle: number;
  /**
   * The crop's top-left corner in the straightened frame, measured from the viewing image's
   * centre (so it does not depend on the size of the rotated canvas), in viewing-image pixels.
   */
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Below this the deskew is not applied (the same threshold as the preprocessing). */
export const MIN_ANGLE = 0.05;

/** A viewing-image point in crop pixels. */
export function toCropPoint(
  crop: CropGeometry,
  view: { width: number; height: number },
  x: number,
  y: number,
) {
  const dx = x - view.width / 2;
  const dy = y - view.height / 2;
  if (Math.abs(crop.angle) < MIN_ANGLE) return { x: dx - crop.left, y: dy - crop.top };
  const rad = (crop.angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  // Inverse of the mapping in toViewingBox (app/ocr/preprocess.server.ts).
  return { x: dx * cos + dy * sin - crop.left, y: -dx * sin + dy * cos - crop.top };
}

/**
 * A line box from the viewing image onto the crop, or null when it falls outside the crop.
 * OCR boxes on the viewing image are the axis-aligned bounds of a straight box that was turned
 * by the deskew angle; turning those bounds back would inflate them twice (a long line at 8°
 * would come out four times its height), so the straight box is recovered from the bounds:
 * W = w·cos + h·sin and H = w·sin + h·cos. Boxes that are not such bounds (clipped at the
 * image edge, unions of joined lines) may give no positive solution; then the turned bounds
 * are used.
 */
export function toCropBox(
  crop: CropGeometry,
  view: { width: number; height: number },
  box: Box,
): Box | null {
  const centre = toCropPoint(crop, view, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const rad = Math.abs((crop.angle * Math.PI) / 180);
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  let w = bw;
  let h = bh;
  if (Math.abs(crop.angle) >= MIN_ANGLE) {
    const det = cos * cos - sin * sin;
    w = (bw * cos - bh * sin) / det;
    h = (bh * cos - bw * sin) / det;
    if (!(w >= 1 && h >= 1)) {
      w = bw * cos + bh * sin;
      h = bw * sin + bh * cos;
    }
  }
  const x0 = Math.max(0, Math.round(centre.x - w / 2));
  const y0 = Math.max(0, Math.round(centre.y - h / 2));
  const x1 = Math.min(crop.width, Math.round(centre.x + w / 2));
  const y1 = Math.min(crop.height, Math.round(centre.y + h / 2));
  if (x1 - x0 < 1 || y1 - y0 < 1) return null;
  return { x0, y0, x1, y1 };
}

/** The stored `crop_json` (angle and offsets), or null when it is missing or malformed. */
export function parseCropJson(
  json: string | null,
  width: number | null,
  height: number | null,
): CropGeometry | null {
  if (!json || !width || !height) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const { angle, left, top } = raw as Record<string, unknown>;
  if (![angle, left, top].every((v) => typeof v === "number" && Number.isFinite(v))) return null;
  return { angle: angle as number, left: left as number, top: top as number, width, height };
}
