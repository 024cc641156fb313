/**
 * Character error rate, normalised exactly as ../shared/ocr-dev/score.mjs does (see its README):
 * NFKC, lower case, no whitespace, dash/bar → ー, tildes → 〜, commas/periods → 、。, middle dots
 * → ・, runs of 。 or ・ → …; lengths in code points.
 */
export function normalizeForCer(text: string): string[] {
  let s = text.normalize("NFKC").toLowerCase().replace(/\s+/gu, "");
  s = s.replace(/[-‐‑‒–—―−─━ｰ|｜│┃丨]/g, "ー");
  s = s.replace(/[~〜～〰]/g, "〜");
  s = s.replace(/[,，､]/g, "、").replace(/[.．｡]/g, "。");
  s = s.replace(/[·•‧∙･]/g, "・");
  s = s.replace(/。{2,}|・{2,}/g, "…");
  return Array.from(s);
}

export function editDistance(a: string[], b: string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function cer(truth: string, prediction: string) {
  const t = normalizeForCer(truth);
  const p = normalizeForCer(prediction);
  const distance = editDistance(t, p);
  return { distance, length: t.length, cer: t.length ? distance / t.length : p.length ? 1 : 0 };
}
