import { describe, expect, it } from "vitest";
import { toViewingBox, toViewingCrop, type Transform } from "./preprocess.server";
import { parseCropJson, toCropBox, toCropPoint } from "~/utils/crop-map";

/** A viewing image of 1500×2000 straightened by `angle`, as the OCR preprocessing describes it. */
function transform(angle: number): Transform {
  const rad = (Math.abs(angle) * Math.PI) / 180;
  const [w, h] = [1500, 2000];
  return {
    angle,
    viewWidth: w,
    viewHeight: h,
    rotWidth: Math.round(w * Math.cos(rad) + h * Math.sin(rad)),
    rotHeight: Math.round(w * Math.sin(rad) + h * Math.cos(rad)),
    // Boxes on the prepared image are then boxes on the straightened canvas.
    cropLeft: 0,
    cropTop: 0,
    scale: 1,
    base: 1,
  };
}
const view = { width: 1500, height: 2000 };
const page = { left: 120, top: 90, width: 1300, height: 1800 };

describe("toCropBox", () => {
  it.each([0, 1.8, -3.1, 5.3, -9.5])(
    "puts an OCR line box back on the straightened crop at %s°",
    (angle) => {
      const t = transform(angle);
      const crop = toViewingCrop(t, page);
      // A long line of writing, as Tesseract found it on the straightened page.
      const line = { x0: 300, y0: 500, x1: 1300, y1: 560 };
      const onView = toViewingBox(t, line);
      const onCrop = toCropBox(crop, view, onView)!;
      const expected = {
        x0: line.x0 - page.left,
        y0: line.y0 - page.top,
        x1: line.x1 - page.left,
        y1: line.y1 - page.top,
      };
      // Within rounding: the viewing box was rounded to whole pixels.
      for (const k of ["x0", "y0", "x1", "y1"] as const)
        expect(Math.abs(onCrop[k] - expected[k])).toBeLessThanOrEqual(2);
    },
  );

  it("does not inflate a tilted line's box (the bounds are undone, not turned again)", () => {
    const t = transform(8);
    const crop = toViewingCrop(t, page);
    const onView = toViewingBox(t, { x0: 200, y0: 700, x1: 1300, y1: 750 });
    expect(onView.y1 - onView.y0).toBeGreaterThan(150);
    const onCrop = toCropBox(crop, view, onView)!;
    expect(onCrop.y1 - onCrop.y0).toBeLessThan(55);
  });

  it("falls back to the turned bounds for a box that is no tilted rectangle's bounds", () => {
    const t = transform(8);
    const crop = toViewingCrop(t, page);
    // Wide and flat on the viewing image: no straight box has these bounds at 8°.
    const box = toCropBox(crop, view, { x0: 300, y0: 600, x1: 1200, y1: 620 })!;
    expect(box.x1 - box.x0).toBeGreaterThan(850);
    expect(box.y1 - box.y0).toBeGreaterThan(100);
  });

  it("clips to the crop and drops boxes outside it", () => {
    const crop = { angle: 0, left: -600, top: -900, width: 1200, height: 1800 };
    expect(toCropBox(crop, view, { x0: 100, y0: 100, x1: 200, y1: 120 })).toEqual({
      x0: 0,
      y0: 0,
      x1: 50,
      y1: 20,
    });
    expect(toCropBox(crop, view, { x0: 0, y0: 0, x1: 40, y1: 40 })).toBeNull();
  });

  it("maps the centre of the viewing image to the same place whatever the angle", () => {
    for (const angle of [0, 4, -7]) {
      const p = toCropPoint(
        { angle, left: -500, top: -800, width: 1000, height: 1600 },
        view,
        750,
        1000,
      );
      expect(p.x).toBeCloseTo(500);
      expect(p.y).toBeCloseTo(800);
    }
  });
});

describe("parseCropJson", () => {
  it("reads what the OCR runner stores and refuses anything else", () => {
    expect(parseCropJson('{"angle":-1.8,"left":-376.5,"top":-482}', 760, 1032)).toEqual({
      angle: -1.8,
      left: -376.5,
      top: -482,
      width: 760,
      height: 1032,
    });
    expect(parseCropJson(null, 760, 1032)).toBeNull();
    expect(parseCropJson('{"angle":"x","left":0,"top":0}', 760, 1032)).toBeNull();
    expect(parseCropJson("not json", 760, 1032)).toBeNull();
    expect(parseCropJson('{"angle":0,"left":0,"top":0}', null, 1032)).toBeNull();
  });
});
