import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { getWalk, WALK_RESULTS } from "~/models/town-walks.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, localDate } from "~/utils/dates";
import { notFound, requireIdParam } from "~/utils/http.server";
import { formatScheduleRules } from "~/utils/schedule";
import { RouteSketch } from "./route-sketch";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const walk = await getWalk(requireIdParam(params.walkId));
  if (!walk) notFound();
  // WALK_RESULTS lives in a server module; the component gets it with the data.
  return { walk, results: WALK_RESULTS, printedOn: localDate() };
}

/** The A4 walk sheet: what to check at each stop, boxes to tick and room for notes. */
export default function WalkSheet() {
  const { walk, results, printedOn } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const start =
    walk.room && walk.room.lat !== null && walk.room.lng !== null
      ? { lat: walk.room.lat, lng: walk.room.lng }
      : null;
  const unlocated = walk.stops.filter((s) => s.lat === null).length;
  return (
    <article className="walk-sheet">
      <p className="walk-sheet__toolbar no-print">
        <Link to={`/walks/${walk.id}`}>← {t("walks.backToWalk")}</Link>{" "}
        <button type="button" className="button button--primary" onClick={() => window.print()}>
          {t("walks.print")}
        </button>{" "}
        <span className="hint">{t("walks.printHint")}</span>
      </p>
      <header className="walk-sheet__head">
        <h1>{t("walks.sheetTitle", { area: walk.area })}</h1>
        <dl className="walk-sheet__facts">
          <dt>{t("walks.plannedOn")}</dt>
          <dd>{formatDate(walk.plannedOn, lang)}</dd>
          <dt>{t("walks.room")}</dt>
          <dd>{walk.room ? `${walk.room.name}（${walk.room.address}）` : "—"}</dd>
          <dt>{t("walks.walkers")}</dt>
          <dd className="walk-sheet__blank" aria-label={t("walks.blankToWrite")} />
          <dt>{t("walks.printedOn")}</dt>
          <dd>{formatDate(printedOn, lang)}</dd>
        </dl>
      </header>
      <figure className="walk-sheet__sketch">
        <RouteSketch start={start} stops={walk.stops} />
        <figcaption className="small">
          {t("walks.sketchCaption")}
          {unlocated ? ` ${t("walks.sketchUnlocated", { n: unlocated })}` : ""}
        </figcaption>
      </figure>
      <table className="walk-sheet__table" data-testid="walk-sheet">
        <thead>
          <tr>
            <th scope="col" className="walk-sheet__no">
              {t("walks.no")}
            </th>
            <th scope="col">{t("walks.place")}</th>
            <th scope="col">{t("walks.whatToCheck")}</th>
            <th scope="col">{t("walks.resultCol")}</th>
            <th scope="col" className="walk-sheet__notes">
              {t("walks.note")}
            </th>
          </tr>
        </thead>
        <tbody>
          {walk.stops.map((s) => {
            const schedule = [s.scheduleText, formatScheduleRules(s.schedule, lang)]
              .filter(Boolean)
              .join("／");
            return (
              <tr key={s.id} data-testid="sheet-row">
                <td className="walk-sheet__no">{s.position}</td>
                <td>
                  <strong>{s.name}</strong>
                  {s.kind === "seed" ? (
                    <span className="walk-sheet__kind"> {t("walks.kind.seed")}</span>
                  ) : null}
                  {s.resourceName ? <div className="small">→ {s.resourceName}</div> : null}
                  <div>{s.address || t("walks.noAddress")}</div>
                  <div className="small">
                    {t("resources.field.schedule")}：{schedule || "—"}
                  </div>
                  <div className="small">
                    {t("resources.field.phone")}：{s.phone || "—"}
                  </div>
                  {s.lat === null ? (
                    <div className="small">（{t("resources.noLocation")}）</div>
                  ) : null}
                </td>
                <td>
                  <ul className="walk-sheet__checks">
                    {s.checks.map((c) => (
                      <li key={c}>
                        <span className="tick" aria-hidden="true" /> {t(`walks.check.${c}`)}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <ul className="walk-sheet__checks">
                    {results.map((r) => (
                      <li key={r}>
                        <span className="tick" aria-hidden="true" /> {t(`walks.result.${r}`)}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="walk-sheet__notes" />
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.walkSheet");

export function ErrorBoundary() {
  return <ErrorPage />;
}
