/**
 * Grey-level morphology and small image helpers on 8-bit single-channel buffers. sharp has no
 * min/max filters, so these are done here: separable van Herk/Gil-Werman filters, O(1) per
 * pixel whatever the window size.
 */
export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

// Two specialised copies (max and min) because a comparator callback here costs several times
// the work itself on 4-megapixel pages.
function maxFilter1d(
  src: Uint8Array,
  dst: Uint8Array,
  offset: number,
  stride: number,
  n: number,
  size: number,
  g: Uint8Array,
  h: Uint8Array,
) {
  const r = size >> 1;
  for (let i = 0; i < n; i++) {
    const v = src[offset + i * stride]!;
    g[i] = i % size === 0 ? v : g[i - 1]! > v ? g[i - 1]! : v;
  }
  for (let i = n - 1; i >= 0; i--) {
    const v = src[offset + i * stride]!;
    h[i] = i === n - 1 || (i + 1) % size === 0 ? v : h[i + 1]! > v ? h[i + 1]! : v;
  }
  for (let i = 0; i < n; i++) {
    const a = h[i - r < 0 ? 0 : i - r]!;
    const b = g[i + r > n - 1 ? n - 1 : i + r]!;
    dst[offset + i * stride] = a > b ? a : b;
  }
}

function minFilter1d(
  src: Uint8Array,
  dst: Uint8Array,
  offset: number,
  stride: number,
  n: number,
  size: number,
  g: Uint8Array,
  h: Uint8Array,
) {
  const r = size >> 1;
  for (let i = 0; i < n; i++) {
    const v = src[offset + i * stride]!;
    g[i] = i % size === 0 ? v : g[i - 1]! < v ? g[i - 1]! : v;
  }
  for (let i = n - 1; i >= 0; i--) {
    const v = src[offset + i * stride]!;
    h[i] = i === n - 1 || (i + 1) % size === 0 ? v : h[i + 1]! < v ? h[i + 1]! : v;
  }
  for (let i = 0; i < n; i++) {
    const a = h[i - r < 0 ? 0 : i - r]!;
    const b = g[i + r > n - 1 ? n - 1 : i + r]!;
    dst[offset + i * stride] = a < b ? a : b;
  }
}

/** Rectangular max (dilate) or min (erode) filter of a grey image. */
export function rectFilter(img: Grey, w: number, hgt: number, max: boolean): Grey {
  const { width, height } = img;
  const g = new Uint8Array(Math.max(width, height));
  const h = new Uint8Array(Math.max(width, height));
  const sw = Math.max(1, Math.round(w) | 1);
  const sh = Math.max(1, Math.round(hgt) | 1);
  const pass = max ? maxFilter1d : minFilter1d;
  let data = img.data;
  if (sw > 1) {
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) pass(data, out, y * width, 1, width, sw, g, h);
    data = out;
  }
  if (sh > 1) {
    const out = new Uint8Array(width * height);
    for (let x = 0; x < width; x++) pass(data, out, x, width, height, sh, g, h);
    data = out;
  }
  return { data: data === img.data ? new Uint8Array(data) : data, width, height };
}

/** Grey closing (max then min): removes dark details (ink) smaller than the window. */
export function closing(img: Grey, w: number, h = w): Grey {
  return rectFilter(rectFilter(img, w, h, true), w, h, false);
}

/** Grey opening (min then max): removes bright details smaller than the window. */
export function opening(img: Grey, w: number, h = w): Grey {
  return rectFilter(rectFilter(img, w, h, false), w, h, true);
}

export function otsu(data: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of data) hist[v]!++;
  const total = data.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

export function percentile(data: Uint8Array, p: number): number {
  const hist = new Uint32Array(256);
  for (const v of data) hist[v]!++;
  const target = data.length * p;
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    acc += hist[i]!;
    if (acc >= target) return i;
  }
  return 255;
}
