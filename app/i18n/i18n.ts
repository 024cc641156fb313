/**
 * Message catalogues and the t() helper. Japanese is the default and the source of the keys;
 * the English catalogue must define every key (checked by the type system).
 *
 * Only Japanese is in the browser's main bundle (participants' phones download little): the
 * English catalogue is registered by the server entry and loaded by the browser entry before it
 * hydrates a page whose <html lang> is "en" (a language switch reloads the document).
 */
import { ja } from "./ja";

export type Lang = "ja" | "en";
export type MessageKey = keyof typeof ja;
export type Params = Record<string, string | number>;
export type TFunction = (key: MessageKey, params?: Params) => string;

export const LANGS: Lang[] = ["ja", "en"];
export const DEFAULT_LANG: Lang = "ja";
type Catalogue = Record<MessageKey, string>;
const catalogues: Partial<Record<Lang, Catalogue>> = { ja };

export function registerCatalogue(lang: Lang, catalogue: Catalogue): void {
  catalogues[lang] = catalogue;
}

/** Loads a catalogue that is not in the bundle yet (the browser's English one). */
export async function loadCatalogue(lang: Lang): Promise<void> {
  if (catalogues[lang]) return;
  if (lang === "en") registerCatalogue("en", (await import("./en")).en);
}

export function isLang(value: unknown): value is Lang {
  return value === "ja" || value === "en";
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ja, value);
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = catalogues[lang]?.[key] ?? ja[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function makeT(lang: Lang): TFunction {
  return (key, params) => translate(lang, key, params);
}

/** Reads the language cookie; anything unknown falls back to Japanese. */
export function getLangFromCookieHeader(cookieHeader: string | null): Lang {
  const match = /(?:^|;\s*)lang=([a-z]{2})/.exec(cookieHeader ?? "");
  return isLang(match?.[1]) ? match[1] : DEFAULT_LANG;
}
