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
    // Columns are filtered as rows of the transposed image: strided access is several times slower.
    const t = transpose(data, width, height);
    const out = new Uint8Array(width * height);
    for (let x = 0; x < width; x++) pass(t, out, x * height, 1, height, sh, g, h);
    data = transpose(out, height, width);
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
  return histogramPercentile(hist, data.length, p);
}

/** The level below which a share `p` of the `count` values counted in `hist` lie. */
export function histogramPercentile(hist: Uint32Array, count: number, p: number): number {
  const target = count * p;
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    acc += hist[i]!;
    if (acc >= target) return i;
  }
  return 255;
}

/** Half-size copy keeping the maximum of each 2×2 block, so that thin ink lines survive. */
export function maxPool2(img: Grey): Grey {
  return pool2(img, true);
}

/** Half-size copy keeping the minimum of each 2×2 block: thin strokes vanish, solid areas stay. */
export function minPool2(img: Grey): Grey {
  return pool2(img, false);
}

function pool2(img: Grey, max: boolean): Grey {
  const width = Math.ceil(img.width / 2);
  const height = Math.ceil(img.height / 2);
  const out = new Uint8Array(width * height);
  const src = img.data;
  for (let y = 0; y < height; y++) {
    const y0 = y * 2;
    const y1 = Math.min(y0 + 1, img.height - 1);
    for (let x = 0; x < width; x++) {
      const x0 = x * 2;
      const x1 = Math.min(x0 + 1, img.width - 1);
      let m = src[y0 * img.width + x0]!;
      const b = src[y0 * img.width + x1]!;
      const c = src[y1 * img.width + x0]!;
      const d = src[y1 * img.width + x1]!;
      if (max) {
        if (b > m) m = b;
        if (c > m) m = c;
        if (d > m) m = d;
      } else {
        if (b < m) m = b;
        if (c < m) m = c;
        if (d < m) m = d;
      }
      out[y * width + x] = m;
    }
  }
  return { data: out, width, height };
}

/** Value of the half-size image at each full-size pixel (nearest neighbour). */
export function upsample2(small: Grey, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = (y >> 1) * small.width;
    for (let x = 0; x < width; x++) out[y * width + x] = small.data[row + (x >> 1)]!;
  }
  return out;
}

/** Transpose in 32×32 tiles to stay within the cache. */
function transpose(src: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const B = 32;
  for (let by = 0; by < height; by += B) {
    const yEnd = Math.min(by + B, height);
    for (let bx = 0; bx < width; bx += B) {
      const xEnd = Math.min(bx + B, width);
      for (let y = by; y < yEnd; y++) {
        const row = y * width;
        for (let x = bx; x < xEnd; x++) out[x * height + y] = src[row + x]!;
      }
    }
  }
  return out;
}

/** A connected region of an image (4-connected), with its bounding box. */
export interface Component {
  area: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Connected regions of the pixels where `inside[i]` is set. With `labels`, each pixel of a region
 * gets the region's index + 1 there.
 */
export function components(
  inside: Uint8Array,
  width: number,
  height: number,
  labels?: Int32Array,
): Component[] {
  const seen = new Uint8Array(width * height);
  const found: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < inside.length; start++) {
    if (seen[start] || !inside[start]) continue;
    seen[start] = 1;
    stack.push(start);
    const c: Component = { area: 0, left: width, top: height, right: 0, bottom: 0 };
    while (stack.length) {
      const i = stack.pop()!;
      c.area++;
      if (labels) labels[i] = found.length + 1;
      const x = i % width;
      const y = (i - x) / width;
      if (x < c.left) c.left = x;
      if (x > c.right) c.right = x;
      if (y < c.top) c.top = y;
      if (y > c.bottom) c.bottom = y;
      if (x > 0 && !seen[i - 1] && inside[i - 1]) {
        seen[i - 1] = 1;
        stack.push(i - 1);
      }
      if (x < width - 1 && !seen[i + 1] && inside[i + 1]) {
        seen[i + 1] = 1;
        stack.push(i + 1);
      }
      if (y > 0 && !seen[i - width] && inside[i - width]) {
        seen[i - width] = 1;
        stack.push(i - width);
      }
      if (y < height - 1 && !seen[i + width] && inside[i + width]) {
        seen[i + width] = 1;
        stack.push(i + width);
      }
    }
    found.push(c);
  }
  return found;
}
