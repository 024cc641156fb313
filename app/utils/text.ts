/**
 * Lengths and cuts of text in Unicode code points, as people count characters: 𠮷 or 𩸽 is one
 * character, not the two UTF-16 units of `String.length`, and a cut never splits such a
 * character into a lone surrogate.
 */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first `max` code points of `text`. */
export function cutCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  let n = 0;
  for (const ch of text) {
    if (n++ >= max) break;
    out += ch;
  }
  return out;
}

/**
 * Characters no field may hold (decision 030): C0 and C1 control characters other than tab and
 * line breaks, DEL, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) that make text display in another order than it is stored. A one-line field
 * also holds no tab, line break or line/paragraph separator.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const NOT_IN_TEXT =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const NOT_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/* eslint-enable no-control-regex */

export function hasForbiddenCharacters(text: string, options: { multiline?: boolean } = {}) {
  return (options.multiline ? NOT_IN_TEXT : NOT_IN_LINE).test(text);
}
