import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { isMessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";

/** The one error view: thrown Responses (400/403/404/405/413/415/422/429) and unexpected errors. */
export function ErrorPage() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = `errorPage.${status}`;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">
        {t("errorPage.title")} ({status})
      </h1>
      <p>{isMessageKey(key) ? t(key) : t("errorPage.500")}</p>
      <p>
        <Link to="/">{t("errorPage.home")}</Link>
      </p>
    </section>
  );
}
