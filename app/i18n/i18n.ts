/**
 * Message catalogues and the t() helper. Japanese is the default and the source of the keys;
 * the English catalogue must define every key (checked by the type system).
 */
import { en } from "./en";
import { ja } from "./ja";

export type Lang = "ja" | "en";
export type MessageKey = keyof typeof ja;
export type Params = Record<string, string | number>;
export type TFunction = (key: MessageKey, params?: Params) => string;

export const LANGS: Lang[] = ["ja", "en"];
export const DEFAULT_LANG: Lang = "ja";
const catalogues: Record<Lang, Record<MessageKey, string>> = { ja, en };

export function isLang(value: unknown): value is Lang {
  return value === "ja" || value === "en";
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ja, value);
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = catalogues[lang][key] ?? ja[key] ?? key;
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
