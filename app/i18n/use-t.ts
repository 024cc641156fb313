import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LANG, makeT, type Lang, type TFunction } from "./i18n";

export function useLang(): Lang {
  const data = useRouteLoaderData("root") as { lang?: Lang } | undefined;
  return data?.lang ?? DEFAULT_LANG;
}

export function useT(): TFunction {
  return makeT(useLang());
}
