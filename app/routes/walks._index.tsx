import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { FormErrors } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { listHealthRooms } from "~/models/health-rooms.server";
import { listResourceFilterOptions } from "~/models/resources.server";
import {
  candidatesForWalk,
  listWalks,
  planWalk,
  PlanWalkSchema,
  WALK_STALE_MONTHS,
} from "~/models/town-walks.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, localDate } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const area = new URL(request.url).searchParams.get("area")?.trim().slice(0, 100) || null;
  const [walks, rooms, options, candidates] = await Promise.all([
    listWalks(),
    listHealthRooms(),
    listResourceFilterOptions(),
    area ? candidatesForWalk(area) : Promise.resolve(null),
  ]);
  const areas = [...new Set([...options.areas, ...rooms.map((r) => r.area)])].sort((a, b) =>
    a.localeCompare(b, "ja"),
  );
  return {
    walks,
    rooms: rooms.map((r) => ({ id: r.id, name: r.name, area: r.area })),
    areas,
    area,
    candidates,
    staleMonths: WALK_STALE_MONTHS,
    today: localDate(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const form = await readForm(request);
  const parsed = parseForm(PlanWalkSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const { area, healthRoomId, plannedOn, stop } = parsed.data;
  const result = await runMutation(
    () =>
      planWalk(
        { area, healthRoomId, plannedOn, stops: stop },
        { actor: { type: "staff", staffId: ctx.staff.id }, ip: ctx.ip },
      ),
    form,
  );
  if (!result.ok) return result.response;
  return redirect(`/walks/${result.value}?done=plan`);
}

export default function Walks() {
  const { walks, rooms, areas, area, candidates, staleMonths, today } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const errors = actionData && !actionData.ok ? actionData.errors : null;
  const values = actionData && !actionData.ok ? actionData.values : null;
  const defaultRoom =
    values?.healthRoomId ?? String(rooms.find((r) => r.area === area)?.id ?? rooms[0]?.id ?? "");
  return (
    <div className="walks-page">
      <h1>{t("title.walks")}</h1>
      <p className="hint">{t("walks.intro")}</p>

      <section className="card" aria-labelledby="walk-list-title">
        <h2 id="walk-list-title">{t("walks.list")}</h2>
        {walks.length === 0 ? (
          <p className="muted">{t("walks.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="walk-list">
              <thead>
                <tr>
                  <th scope="col">{t("walks.plannedOn")}</th>
                  <th scope="col">{t("walks.area")}</th>
                  <th scope="col">{t("walks.room")}</th>
                  <th scope="col">{t("walks.progress")}</th>
                  <th scope="col">{t("common.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {walks.map((w) => (
                  <tr key={w.id}>
                    <td>{formatDate(w.plannedOn, lang)}</td>
                    <td>{w.area}</td>
                    <td>{w.roomName ?? "—"}</td>
                    <td>
                      <span
                        className={`badge ${w.status === "done" ? "badge--active" : "badge--forming"}`}
                      >
                        {t(`walks.status.${w.status}`)}
                      </span>{" "}
                      {t("walks.recordedOf", { n: w.recorded, total: w.stops })}
                    </td>
                    <td>
                      <Link to={`/walks/${w.id}`}>{t("walks.open")}</Link>
                      {" ・ "}
                      <Link to={`/walks/${w.id}/print`}>{t("walks.printSheet")}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="walk-plan-title">
        <h2 id="walk-plan-title">{t("walks.plan")}</h2>
        <Form method="get" className="inline-form walk-area-form">
          <label htmlFor="walk-area">{t("walks.area")}</label>{" "}
          <select id="walk-area" name="area" defaultValue={area ?? ""} required>
            <option value="" disabled>
              {t("walks.chooseArea")}
            </option>
            {areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>{" "}
          <button type="submit" className="button">
            {t("walks.showCandidates")}
          </button>
        </Form>

        {area && candidates ? (
          <Form method="post" className="stack walk-plan-form" noValidate>
            <FormErrors errors={errors} />
            <input type="hidden" name="area" value={area} />
            <div className="grid walk-plan-fields">
              <div className={`field${errors?.healthRoomId ? " field--invalid" : ""}`}>
                <label htmlFor="walk-room">{t("walks.room")}</label>
                <p className="hint" id="walk-room-hint">
                  {t("walks.roomHint")}
                </p>
                <select
                  id="walk-room"
                  name="healthRoomId"
                  defaultValue={defaultRoom}
                  aria-describedby="walk-room-hint"
                  aria-invalid={errors?.healthRoomId ? true : undefined}
                >
                  {rooms.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}（{r.area}）
                    </option>
                  ))}
                </select>
                {errors?.healthRoomId ? (
                  <p className="field-error">{t(errors.healthRoomId)}</p>
                ) : null}
              </div>
              <div className={`field${errors?.plannedOn ? " field--invalid" : ""}`}>
                <label htmlFor="walk-date">{t("walks.plannedOn")}</label>
                <input
                  id="walk-date"
                  name="plannedOn"
                  type="date"
                  defaultValue={values?.plannedOn ?? today}
                  aria-invalid={errors?.plannedOn ? true : undefined}
                />
                {errors?.plannedOn ? <p className="field-error">{t(errors.plannedOn)}</p> : null}
              </div>
            </div>
            <fieldset className="walk-candidates" aria-describedby="walk-candidates-hint">
              <legend>{t("walks.candidates", { area })}</legend>
              <p className="hint" id="walk-candidates-hint">
                {t("walks.candidatesHint", { months: staleMonths })}
              </p>
              {errors?.stop ? <p className="field-error">{t(errors.stop)}</p> : null}
              {candidates.length === 0 ? (
                <p className="muted">{t("walks.noCandidates")}</p>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="walk-candidates">
                    <thead>
                      <tr>
                        <th scope="col">{t("walks.include")}</th>
                        <th scope="col">{t("walks.stopName")}</th>
                        <th scope="col">{t("resources.field.address")}</th>
                        <th scope="col">{t("resources.field.verified")}</th>
                        <th scope="col">{t("walks.why")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {candidates.map((c) => (
                        <tr key={c.key}>
                          <td>
                            <input
                              type="checkbox"
                              name="stop"
                              value={c.key}
                              id={`cand-${c.key}`}
                              defaultChecked={c.selected}
                            />
                          </td>
                          <td>
                            <label htmlFor={`cand-${c.key}`}>
                              {c.name}
                              {c.kind === "seed" ? (
                                <span className="badge walk-kind">{t("walks.kind.seed")}</span>
                              ) : null}
                            </label>
                            {c.resourceName && c.resourceName !== c.name ? (
                              <span className="small muted"> → {c.resourceName}</span>
                            ) : null}
                            {c.status ? (
                              <span className="small muted">
                                {" "}
                                （{t(`resources.status.${c.status}`)}）
                              </span>
                            ) : null}
                          </td>
                          <td>
                            {c.address || "—"}
                            {c.kind === "resource" && !c.located ? (
                              <span className="small muted"> （{t("resources.noLocation")}）</span>
                            ) : null}
                          </td>
                          <td>
                            {c.verifiedOn
                              ? formatDate(c.verifiedOn, lang)
                              : c.kind === "resource"
                                ? t("resources.neverVerified")
                                : "—"}
                          </td>
                          <td>{c.reason ? t(`walks.reason.${c.reason}`) : "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </fieldset>
            <p className="actions">
              <button type="submit" className="button button--primary">
                {t("walks.planSubmit")}
              </button>
            </p>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.walks");

export function ErrorBoundary() {
  return <ErrorPage />;
}
