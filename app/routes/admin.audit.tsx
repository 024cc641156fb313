import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { SelectField } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { listAuditFacets, listAuditLog } from "~/models/audit-log.server";
import { isAuditAction } from "~/utils/audit-actions";
import { requireAdmin } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const url = new URL(request.url);
  const pageParam = Number(url.searchParams.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam > 0 && pageParam < 100000 ? pageParam : 1;
  const entityType = url.searchParams.get("entity") || null;
  // Only a known action filters; anything else (an old bookmark, a typo) shows everything.
  const actionParam = url.searchParams.get("action");
  const action = isAuditAction(actionParam) ? actionParam : null;
  const [log, facets] = await Promise.all([
    listAuditLog({ page, entityType, action }),
    listAuditFacets(),
  ]);
  return { ...log, facets, page, entityType, action };
}

export default function AuditLog() {
  const { rows, hasMore, facets, page, entityType, action } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const pageLink = (p: number) => {
    const params = new URLSearchParams();
    if (entityType) params.set("entity", entityType);
    if (action) params.set("action", action);
    params.set("page", String(p));
    return `?${params}`;
  };
  return (
    <div>
      <h1>{t("audit.title")}</h1>
      <Form method="get" className="filters">
        <SelectField
          label={t("audit.entity")}
          name="entity"
          defaultValue={entityType ?? ""}
          required
        >
          <option value="">{t("common.all")}</option>
          {facets.entityTypes.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("audit.action")} name="action" defaultValue={action ?? ""} required>
          <option value="">{t("common.all")}</option>
          {facets.actions.map((a) => (
            <option key={a} value={a}>
              {`${t(`audit.action.${a}`)} (${a})`}
            </option>
          ))}
        </SelectField>
        <button type="submit">{t("audit.filter")}</button>
      </Form>
      {rows.length === 0 ? (
        <p className="muted">{t("audit.empty")}</p>
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
                <tr key={r.id}>
                  <td>{formatDateTime(r.at, lang)}</td>
                  <td>
                    {r.actor_type === "staff"
                      ? r.staff_name
                      : r.actor_type === "participant"
                        ? t("audit.actorParticipant", { name: r.participant_pen_name ?? "?" })
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
                    {r.entity_type}
                    {r.entity_id ? ` #${r.entity_id}` : ""}
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
      <div className="actions">
        {page > 1 ? <Link to={pageLink(page - 1)}>{t("common.prev")}</Link> : null}
        {hasMore ? <Link to={pageLink(page + 1)}>{t("common.next")}</Link> : null}
      </div>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.audit");

export function ErrorBoundary() {
  return <ErrorPage />;
}
