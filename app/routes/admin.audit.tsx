import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Field, SelectField } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { countAuditLog, listAuditFacets, listAuditLog } from "~/models/audit-log.server";
import { isAuditAction, isAuditEntityType } from "~/utils/audit-actions";
import { auditSearch, hasAuditFilterErrors, parseAuditFilters } from "~/utils/audit-filters";
import { requireAdmin } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";

/** Counting stops here: a page of a huge log does not count every row each time. */
const COUNT_AT_MOST = 10_000;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const { filters, errors, page } = parseAuditFilters(params);
  // What was typed, to show again beside its error (control characters left out).
  const typed = Object.fromEntries(
    ["who", "action", "entity", "id", "from", "to"].map((k) => [
      k,
      // eslint-disable-next-line no-control-regex
      (params.get(k) ?? "").replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 100),
    ]),
  );
  const facets = await listAuditFacets();
  if (hasAuditFilterErrors(errors)) {
    return data(
      {
        rows: [],
        hasMore: false,
        total: 0,
        countAtMost: COUNT_AT_MOST,
        facets,
        filters,
        errors,
        typed,
        page: 1,
      },
      { status: 400 },
    );
  }
  const [log, total] = await Promise.all([
    listAuditLog(filters, page),
    countAuditLog(filters, { atMost: COUNT_AT_MOST + 1 }),
  ]);
  return { ...log, total, countAtMost: COUNT_AT_MOST, facets, filters, errors, typed, page };
}

export default function AuditLog() {
  const { rows, hasMore, total, countAtMost, facets, filters, errors, typed, page } =
    useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const location = useLocation();
  const query = auditSearch(filters);
  const invalid = Object.keys(errors).length > 0;
  return (
    <div>
      <h1>{t("audit.title")}</h1>
      <p className="muted">{t("audit.intro")}</p>
      {invalid ? (
        <div className="alert alert--error" role="alert">
          {t("audit.invalid")}
        </div>
      ) : null}
      {/* Keyed by the URL: the fields show the filters of the page shown, also after Back. */}
      <Form
        method="get"
        className="filters"
        role="search"
        aria-label={t("audit.filters")}
        key={location.search}
      >
        <SelectField
          label={t("audit.who")}
          name="who"
          defaultValue={typed.who}
          error={errors.who}
          filter
        >
          <option value="">{t("common.all")}</option>
          <option value="staff">{t("audit.whoAllStaff")}</option>
          <option value="participant">{t("audit.whoAllParticipants")}</option>
          <option value="system">{t("audit.whoSystem")}</option>
          <option value="anonymous">{t("audit.whoAnonymous")}</option>
          <optgroup label={t("audit.whoStaffGroup")}>
            {facets.staff.map((s) => (
              <option key={s.id} value={`staff:${s.id}`}>
                {t(s.active ? "audit.whoStaffOption" : "audit.whoStaffInactive", {
                  name: s.name,
                  login: s.login,
                })}
              </option>
            ))}
          </optgroup>
          {facets.participants.length > 0 ? (
            <optgroup label={t("audit.whoParticipantGroup")}>
              {facets.participants.map((p) => (
                <option key={p.id} value={`participant:${p.id}`}>
                  {p.penName === null
                    ? t("audit.whoParticipantDeleted", { id: p.id })
                    : t("audit.whoParticipantOption", {
                        penName: p.penName,
                        realName: p.realName ?? "",
                        id: p.id,
                      })}
                </option>
              ))}
            </optgroup>
          ) : null}
        </SelectField>
        <SelectField
          label={t("audit.action")}
          name="action"
          defaultValue={typed.action}
          error={errors.action}
          filter
        >
          <option value="">{t("common.all")}</option>
          {facets.actions.map((a) => (
            <option key={a} value={a}>
              {`${t(`audit.action.${a}`)} (${a})`}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("audit.recordType")}
          name="entity"
          defaultValue={typed.entity}
          error={errors.entity}
          filter
        >
          <option value="">{t("common.all")}</option>
          {facets.entityTypes.map((e) => (
            <option key={e} value={e}>
              {t(`audit.entity.${e}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t("audit.recordId")}
          name="id"
          inputMode="numeric"
          size={8}
          defaultValue={typed.id}
          error={errors.id}
          hint={t("audit.recordIdHint")}
          filter
        />
        <Field
          label={t("audit.from")}
          name="from"
          type="date"
          defaultValue={typed.from}
          error={errors.from}
          hint={t("audit.dateHint")}
          filter
        />
        <Field
          label={t("audit.to")}
          name="to"
          type="date"
          defaultValue={typed.to}
          error={errors.to}
          hint={t("audit.dateHint")}
          filter
        />
        <div className="actions">
          <button type="submit" className="button button--primary">
            {t("audit.filter")}
          </button>{" "}
          <Link to="/admin/audit">{t("audit.clear")}</Link>
        </div>
      </Form>
      {invalid ? null : (
        <>
          <p>
            <strong data-testid="audit-count">
              {total > countAtMost
                ? t("audit.countMore", { n: countAtMost.toLocaleString("ja-JP") })
                : t("audit.count", { n: total.toLocaleString("ja-JP") })}
            </strong>
            {page > 1 || hasMore ? ` — ${t("audit.pageN", { page })}` : null}
          </p>
          <p className="actions">
            {/* A plain link: the browser downloads the file (no client-side navigation). */}
            <a
              className="button"
              href={`/admin/audit/export.csv${query ? `?${query}` : ""}`}
              download
              aria-describedby="audit-export-hint"
            >
              {t("audit.export")}
            </a>{" "}
            <span className="hint" id="audit-export-hint">
              {t("audit.exportHint")}
            </span>
          </p>
        </>
      )}
      {rows.length === 0 ? (
        invalid ? null : (
          <p className="muted">{t("audit.empty")}</p>
        )
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.entity")}</th>
                <th scope="col">{t("audit.detail")}</th>
                <th scope="col">{t("audit.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-audit-id={r.id}>
                  <td>{formatDateTime(r.at, lang)}</td>
                  <td>
                    {r.actor_type === "staff"
                      ? r.staff_name
                      : r.actor_type === "participant"
                        ? r.participant_pen_name === null
                          ? t("audit.whoParticipantDeleted", { id: r.actor_participant_id ?? "?" })
                          : t("audit.actorParticipant", { name: r.participant_pen_name })
                        : r.actor_type === "system"
                          ? t("audit.actorSystem")
                          : t("audit.actorAnonymous")}
                  </td>
                  <td>
                    {isAuditAction(r.action) ? (
                      <>
                        {t(`audit.action.${r.action}`)}
                        <br />
                        <code className="small muted">{r.action}</code>
                      </>
                    ) : (
                      <code>{r.action}</code>
                    )}
                  </td>
                  <td>
                    {isAuditEntityType(r.entity_type) && r.entity_id ? (
                      // Every entry about this record.
                      <Link
                        to={`?${auditSearch({ entityType: r.entity_type, entityId: r.entity_id })}`}
                      >
                        {`${t(`audit.entity.${r.entity_type}`)} #${r.entity_id}`}
                      </Link>
                    ) : isAuditEntityType(r.entity_type) ? (
                      t(`audit.entity.${r.entity_type}`)
                    ) : (
                      `${r.entity_type}${r.entity_id ? ` #${r.entity_id}` : ""}`
                    )}
                  </td>
                  <td>
                    <code>{r.detail === "{}" ? "" : r.detail}</code>
                  </td>
                  <td>{r.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="actions" aria-label={t("audit.pages")}>
        {page > 1 ? (
          <Link to={`?${auditSearch(filters, page - 1)}`} rel="prev">
            {t("common.prev")}
          </Link>
        ) : null}{" "}
        {hasMore ? (
          <Link to={`?${auditSearch(filters, page + 1)}`} rel="next">
            {t("common.next")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.audit");

export function ErrorBoundary() {
  return <ErrorPage />;
}
