import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { FormErrors, Notice } from "~/components/field";
import type { MessageKey } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import {
  getWalk,
  recordWalkResults,
  WALK_FIELDS,
  WALK_RESULTS,
  walkResultsFromForm,
} from "~/models/town-walks.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { runMutation } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";
import { formatScheduleRules } from "~/utils/schedule";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const walk = await getWalk(requireIdParam(params.walkId));
  if (!walk) notFound();
  // The lists live in a server module; the component gets them with the data.
  return { walk, results: WALK_RESULTS, fields: WALK_FIELDS };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const id = requireIdParam(params.walkId);
  const form = await readForm(request);
  const result = await runMutation(
    () =>
      recordWalkResults(id, walkResultsFromForm(form), {
        actor: { type: "staff", staffId: ctx.staff.id },
        ip: ctx.ip,
      }),
    form,
  );
  if (!result.ok) return result.response;
  return redirect(`/walks/${id}?done=${result.value.done ? "done" : "record"}`);
}

const FIELD_LABEL = {
  name: "resources.field.name",
  address: "resources.field.address",
  scheduleText: "resources.field.scheduleText",
  phone: "resources.field.phone",
} as const satisfies Record<(typeof WALK_FIELDS)[number], MessageKey>;

export default function WalkPage() {
  const { walk, results, fields } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const done = params.get("done");
  const errors = actionData && !actionData.ok ? actionData.errors : null;
  const values = actionData && !actionData.ok ? actionData.values : {};
  const open = walk.stops.filter((s) => s.result === null);
  const error = (name: string) => errors?.[name];
  return (
    <div className="walk-page">
      <p className="breadcrumbs">
        <Link to="/walks">← {t("walks.backToList")}</Link>
      </p>
      <h1>
        {t("walks.heading", { area: walk.area, date: formatDate(walk.plannedOn, lang) })}{" "}
        <span
          className={`badge ${walk.status === "done" ? "badge--active" : "badge--forming"}`}
          data-testid="walk-status"
        >
          {t(`walks.status.${walk.status}`)}
        </span>
      </h1>
      {done === "plan" ? <Notice>{t("walks.planned")}</Notice> : null}
      {done === "record" ? <Notice>{t("walks.recorded")}</Notice> : null}
      {done === "done" ? <Notice>{t("walks.allRecorded")}</Notice> : null}
      <p>
        {walk.room
          ? t("walks.startsAt", { room: walk.room.name, address: walk.room.address })
          : t("walks.noRoom")}{" "}
        {t("walks.recordedOf", {
          n: walk.stops.length - open.length,
          total: walk.stops.length,
        })}
      </p>
      <p className="actions">
        <Link className="button" to={`/walks/${walk.id}/print`}>
          {t("walks.printSheet")}
        </Link>
      </p>

      <Form method="post" className="stack walk-record" noValidate>
        <h2>{t("walks.recordTitle")}</h2>
        <p className="hint">{t("walks.recordHint")}</p>
        <FormErrors errors={errors} />
        <ol className="list-plain walk-stops" data-testid="walk-stops">
          {walk.stops.map((s) => {
            const schedule = [s.scheduleText, formatScheduleRules(s.schedule, lang)]
              .filter(Boolean)
              .join("／");
            const picked = values[`result-${s.id}`] ?? "";
            return (
              <li key={s.id} className="card walk-stop" data-testid={`stop-${s.id}`}>
                <h3 className="walk-stop__title">
                  <span className="walk-stop__no">{s.position}</span>{" "}
                  {s.resourceId ? <Link to={`/resources/${s.resourceId}`}>{s.name}</Link> : s.name}{" "}
                  <span className="badge walk-kind">{t(`walks.kind.${s.kind}`)}</span>{" "}
                  {s.status ? (
                    <span className="small muted">{t(`resources.status.${s.status}`)}</span>
                  ) : null}
                </h3>
                <p className="small">
                  {s.resourceName ? `→ ${s.resourceName}　` : null}
                  {s.address || t("walks.noAddress")}
                  {schedule ? `　${schedule}` : null}
                  {s.lat === null ? `　（${t("resources.noLocation")}）` : null}
                  {s.kind === "resource" ? (
                    <>
                      {"　"}
                      {t("resources.field.verified")}：
                      {s.verifiedOn
                        ? t("resources.verifiedOn", {
                            date: formatDate(s.verifiedOn, lang),
                            how: t(`resources.how.${s.verifiedHow ?? "other"}`),
                          })
                        : t("resources.neverVerified")}
                    </>
                  ) : null}
                </p>
                {s.result ? (
                  <p className="walk-stop__result" data-testid="stop-result">
                    <strong>{t(`walks.result.${s.result}`)}</strong>
                    {s.note ? `　${s.note}` : null}{" "}
                    <span className="small muted">
                      （{s.recordedBy ?? "—"}・{formatDateTime(s.recordedAt, lang)}）
                    </span>
                  </p>
                ) : (
                  <>
                    <fieldset
                      className="walk-stop__results"
                      aria-describedby={
                        error(`result-${s.id}`) ? `result-${s.id}-error` : undefined
                      }
                    >
                      <legend>{t("walks.resultOf", { name: s.name })}</legend>
                      <label>
                        <input
                          type="radio"
                          name={`result-${s.id}`}
                          value=""
                          defaultChecked={picked === ""}
                        />{" "}
                        {t("walks.result.none")}
                      </label>
                      {results.map((r) => (
                        <label key={r}>
                          <input
                            type="radio"
                            name={`result-${s.id}`}
                            value={r}
                            defaultChecked={picked === r}
                          />{" "}
                          {t(`walks.result.${r}`)}
                        </label>
                      ))}
                      {error(`result-${s.id}`) ? (
                        <p className="field-error" id={`result-${s.id}-error`}>
                          {t(error(`result-${s.id}`)!)}
                        </p>
                      ) : null}
                    </fieldset>
                    {s.kind === "resource" ? (
                      <div className="walk-stop__changes">
                        <p className="hint">{t("walks.changesHint")}</p>
                        <div className="grid walk-stop__fields">
                          {fields.map((f) => {
                            const name = `${f}-${s.id}`;
                            const current = f === "scheduleText" ? s.scheduleText : s[f];
                            return (
                              <div
                                key={f}
                                className={`field${error(name) ? " field--invalid" : ""}`}
                              >
                                <label htmlFor={name}>{t(FIELD_LABEL[f])}</label>
                                <input
                                  id={name}
                                  name={name}
                                  defaultValue={values[name] ?? current}
                                  aria-invalid={error(name) ? true : undefined}
                                  aria-describedby={error(name) ? `${name}-error` : undefined}
                                />
                                {error(name) ? (
                                  <p className="field-error" id={`${name}-error`}>
                                    {t(error(name)!)}
                                  </p>
                                ) : null}
                              </div>
                            );
                          })}
                        </div>
                      </div>
                    ) : null}
                    <div className={`field${error(`note-${s.id}`) ? " field--invalid" : ""}`}>
                      <label htmlFor={`note-${s.id}`}>
                        {t("walks.note")}
                        <span className="optional"> （{t("common.optional")}）</span>
                      </label>
                      <textarea
                        id={`note-${s.id}`}
                        name={`note-${s.id}`}
                        rows={2}
                        defaultValue={values[`note-${s.id}`] ?? ""}
                      />
                      {error(`note-${s.id}`) ? (
                        <p className="field-error">{t(error(`note-${s.id}`)!)}</p>
                      ) : null}
                    </div>
                  </>
                )}
              </li>
            );
          })}
        </ol>
        {open.length > 0 ? (
          <p className="actions">
            <button type="submit" className="button button--primary">
              {t("walks.saveResults")}
            </button>
          </p>
        ) : null}
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.walk");

export function ErrorBoundary() {
  return <ErrorPage />;
}
