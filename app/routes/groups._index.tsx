import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { SelectField } from "~/components/field";
import { StatusBadge } from "~/components/status-badge";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { listCohorts } from "~/models/cohorts.server";
import { listGroups } from "~/models/groups.server";
import { requireStaff } from "~/utils/auth.server";

const STATUSES = ["forming", "active", "finished"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const cohortParam = url.searchParams.get("cohort");
  const cohortId = cohortParam && /^\d+$/.test(cohortParam) ? Number(cohortParam) : null;
  const statusParam = url.searchParams.get("status");
  const status = STATUSES.find((s) => s === statusParam) ?? null;
  const [cohorts, groups] = await Promise.all([listCohorts(), listGroups({ cohortId, status })]);
  return { cohorts, groups, cohortId, status };
}

export default function Groups() {
  const { cohorts, groups, cohortId, status } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div>
      <div className="page-head">
        <h1>{t("groups.title")}</h1>
        <Link className="button" to={cohortId ? `/groups/new?cohort=${cohortId}` : "/groups/new"}>
          {t("groups.new")}
        </Link>
      </div>
      <Form method="get" className="filters">
        <SelectField
          label={t("groups.cohort")}
          name="cohort"
          defaultValue={cohortId ?? ""}
          required
        >
          <option value="">{t("common.all")}</option>
          {cohorts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("groups.status")} name="status" defaultValue={status ?? ""} required>
          <option value="">{t("common.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit">{t("common.search")}</button>
      </Form>
      {groups.length === 0 ? (
        <p className="muted">{t("groups.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("groups.name")}</th>
                <th scope="col">{t("groups.status")}</th>
                <th scope="col">{t("groups.members")}</th>
                <th scope="col">{t("groups.healthRoom")}</th>
                <th scope="col">{t("groups.cohort")}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.id}>
                  <td>
                    <Link to={`/groups/${g.id}`}>{g.name}</Link>
                  </td>
                  <td>
                    <StatusBadge status={g.status} />
                  </td>
                  <td>{g.memberPenNames.join("・")}</td>
                  <td>{g.healthRoomName}</td>
                  <td>{g.cohortName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.groups");

export function ErrorBoundary() {
  return <ErrorPage />;
}
