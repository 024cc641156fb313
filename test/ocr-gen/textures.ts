/**
 * Simple procedural surfaces the notebook lies on in a photo (desk and floor textures), and the
 * white glass of a flatbed scanner. Drawn at half resolution and enlarged: the camera blurs them
 * anyway, and it keeps a 12 MP frame quick.
 */
import { resizeRaw, smoothNoise, whiteNoise } from "./raster";
import type { Rng } from "./rng";

export const DESK_BACKGROUNDS = [
  "wood_light",
  "wood_medium",
  "wood_dark",
  "wood_walnut",
  "gray_laminate",
  "black_desk",
  "navy_cloth",
  "tatami",
] as const;
export type Background = (typeof DESK_BACKGROUNDS)[number] | "flatbed_white";

const WOOD: Record<string, [number, number, number]> = {
  wood_light: [196, 160, 116],
  wood_medium: [158, 112, 70],
  wood_dark: [98, 64, 40],
  wood_walnut: [78, 54, 40],
};

export async function backgroundTexture(
  kind: Background,
  width: number,
  height: number,
  rng: Rng,
): Promise<Uint8Array> {
  if (kind === "flatbed_white") {
    const out = new Uint8Array(width * height * 3);
    const shade = rng.int(244, 250);
    out.fill(shade);
    return out;
  }
  const w = Math.ceil(width / 2);
  const h = Math.ceil(height / 2);
  const n = w * h;
  const out = new Uint8Array(n * 3);
  const fine = whiteNoise(n, rng.fork("fine"));
  const low = await smoothNoise(w, h, w / 5, rng.fork("low"));
  const put = (i: number, r: number, g: number, b: number) => {
    out[i * 3] = Math.max(0, Math.min(255, r));
    out[i * 3 + 1] = Math.max(0, Math.min(255, g));
    out[i * 3 + 2] = Math.max(0, Math.min(255, b));
  };
  if (kind.startsWith("wood")) {
    const base = WOOD[kind]!;
    const alongX = rng.chance(0.5);
    // Streaks: noise stretched along the grain, plus a slow warp so that the rings wander.
    const streaks = alongX
      ? await smoothNoise(w, h, w / 6, rng.fork("streaks"), 1.5)
      : await smoothNoise(w, h, 1.5, rng.fork("streaks"), h / 6);
    const warp = await smoothNoise(w, h, w / 3, rng.fork("warp"));
    const period = rng.uniform(18, 45);
    const plank = rng.uniform(280, 520);
    const phase = rng.uniform(0, plank);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const across = alongX ? y : x;
        const rings = Math.sin(((across + (warp[i]! - 128) * 0.9) / period) * Math.PI * 2);
        const seam = Math.abs(((across + phase) % plank) - plank / 2) > plank / 2 - 1.2 ? 0.72 : 1;
        const v =
          (1 + rings * 0.07 + ((streaks[i]! - 128) / 128) * 0.12 + ((low[i]! - 128) / 128) * 0.06) *
          seam;
        const grain = (fine[i]! - 128) * 0.03;
        put(i, base[0] * v + grain, base[1] * v + grain, base[2] * v + grain);
      }
    }
  } else if (kind === "gray_laminate") {
    const base = rng.int(150, 185);
    for (let i = 0; i < n; i++) {
      const v = base * (1 + ((low[i]! - 128) / 128) * 0.04) + (fine[i]! - 128) * 0.06;
      put(i, v, v, v + 2);
    }
  } else if (kind === "black_desk") {
    const base = rng.int(22, 34);
    for (let i = 0; i < n; i++) {
      const v = base * (1 + ((low[i]! - 128) / 128) * 0.25) + (fine[i]! - 128) * 0.03;
      put(i, v, v, v * 1.05);
    }
  } else if (kind === "navy_cloth") {
    const period = rng.uniform(3, 5);
    const threads = whiteNoise(w + h, rng.fork("threads"));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const weave =
          Math.sin((x / period) * Math.PI) * Math.sin((y / period) * Math.PI) * 0.12 +
          ((threads[x]! + threads[w + y]! - 256) / 256) * 0.08;
        const v = 1 + weave + ((low[i]! - 128) / 128) * 0.08 + (fine[i]! - 128) * 0.0012;
        put(i, 30 * v, 42 * v, 78 * v);
      }
    }
  } else {
    // Tatami: rush strands along one axis, cotton warp threads across them every few centimetres.
    const alongX = rng.chance(0.5);
    const strands = whiteNoise(Math.max(w, h), rng.fork("strands"));
    const strand = rng.uniform(2.5, 4);
    const warpEvery = rng.uniform(22, 34);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const across = alongX ? y : x;
        const along = alongX ? x : y;
        const k = Math.floor(across / strand);
        const edge = Math.abs((across % strand) - strand / 2) / (strand / 2);
        const thread = along % warpEvery < 1.3 ? 0.82 : 1;
        const v =
          (1 + ((strands[k % strands.length]! - 128) / 128) * 0.08 - edge * edge * 0.1) *
            thread *
            (1 + ((low[i]! - 128) / 128) * 0.05) +
          (fine[i]! - 128) * 0.0015;
        put(i, 176 * v, 166 * v, 112 * v);
      }
    }
  }
  return resizeRaw(out, w, h, 3, width, height);
}
