/**
 * The public resource list on A4 (/public/resources/print), the sheet health rooms hand out: the
 * same resources and filters as /public/resources (its loader is reused, so the public rule and
 * the public fields stay in one place), two columns, area headings, the date printed and a QR
 * code of the online list so a reader can find the current version. The print stylesheet is the
 * "Public resource list" block of app/styles/app.css.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { PrintButton } from "~/components/print-button";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { formatDate, localDate } from "~/utils/dates";
import { qrSvg } from "~/utils/qr.server";
import { loader as publicListLoader, PublicResourceDetails } from "./public.resources._index";

export async function loader(args: LoaderFunctionArgs) {
  // The sheet has every resource of the filters, not a page of them.
  const all = new URL(args.request.url);
  all.searchParams.set("page", "all");
  const list = await publicListLoader({ ...args, request: new Request(all, args.request) });
  // The URL the reader's phone opens: this server as the visitor reached it, same filters.
  const listPath = `/public/resources${list.query ? `?${list.query}` : ""}`;
  const listUrl = `${new URL(args.request.url).origin}${listPath}`;
  const qr = await qrSvg(listUrl);
  return { ...list, listPath, listUrl, qrSvg: qr, printedOn: localDate() };
}

export default function PublicResourcesPrint() {
  const { groups, total, listPath, listUrl, qrSvg, printedOn } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <div className="public-print">
      <div className="public-print__screen-only actions">
        <Link to={listPath}>← {t("publicResources.backToList")}</Link>{" "}
        <PrintButton label={t("publicResources.print")} />
        <p className="hint">{t("publicResources.printHint")}</p>
      </div>
      <header className="public-print__head">
        <div className="public-print__heading">
          <h1>{t("title.publicResources")}</h1>
          <p className="public-print__meta">
            {t("publicResources.printed", { date: formatDate(printedOn, lang) })}
            {" ・ "}
            {t("publicResources.total", { n: total })}
          </p>
          <p className="public-print__intro">{t("publicResources.intro")}</p>
        </div>
        <figure className="public-print__qr">
          <div
            className="public-print__qr-code"
            role="img"
            aria-label={t("publicResources.qrAlt", { url: listUrl })}
            // Generated on the server by `qrcode` from our own URL: paths only, no user markup.
            dangerouslySetInnerHTML={{ __html: qrSvg }}
          />
          <figcaption>
            {t("publicResources.qr")}
            <span className="public-print__url">
              {/* Break between host and path rather than inside a word. */}
              {listUrl.slice(0, listUrl.length - listPath.length)}
              <wbr />
              {listPath}
            </span>
          </figcaption>
        </figure>
      </header>
      {groups.length === 0 ? <p className="muted">{t("publicResources.empty")}</p> : null}
      <div className="public-print__columns">
        {groups.map((g) => (
          <section key={g.area} className="public-print__area">
            <h2 className="public-print__area-title">{g.area || t("publicResources.noArea")}</h2>
            {g.categories.map((c) => (
              <section key={c.category} className="public-print__category">
                <h3 className="public-print__category-title">
                  {t(`seeds.category.${c.category}`)}
                  <span className="public-print__category-area">
                    {g.area || t("publicResources.noArea")}
                  </span>
                </h3>
                {c.resources.map((r, i) => (
                  <article key={`${r.name}-${i}`} className="public-print__resource">
                    <h4 className="public-print__name">{r.name}</h4>
                    {r.description ? (
                      <p className="public-print__description">{r.description}</p>
                    ) : null}
                    <PublicResourceDetails resource={r} />
                  </article>
                ))}
              </section>
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.publicResourcesPrint");

export function ErrorBoundary() {
  return <ErrorPage />;
}
