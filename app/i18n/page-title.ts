import { DEFAULT_LANG, isLang, makeT, type MessageKey } from "./i18n";

/** What a route's `meta` receives of each matched route: enough to find the root's `lang`. */
type Matches = ReadonlyArray<{ id: string; data: unknown } | undefined>;

/**
 * A route's document title, "<page> | <app name>", in the user's language: `meta` has no hooks,
 * so the language comes from the root loader's data among the matches (Japanese when the root
 * has none, as on an error page before it loaded).
 */
export function pageTitle(matches: Matches, key: MessageKey) {
  const root = matches.find((m) => m?.id === "root")?.data;
  const lang = root && typeof root === "object" && "lang" in root ? root.lang : undefined;
  const t = makeT(isLang(lang) ? lang : DEFAULT_LANG);
  return [{ title: `${t(key)} | ${t("app.name")}` }];
}
