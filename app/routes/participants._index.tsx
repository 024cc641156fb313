import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Field, SelectField } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { listCohorts } from "~/models/cohorts.server";
import { listParticipants } from "~/models/participants.server";
import { requireStaff } from "~/utils/auth.server";
import { cutCodePoints } from "~/utils/text";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const cohortParam = url.searchParams.get("cohort");
  const cohortId = cohortParam && /^\d+$/.test(cohortParam) ? Number(cohortParam) : null;
  const q = cutCodePoints(url.searchParams.get("q") ?? "", 60);
  const [cohorts, participants] = await Promise.all([
    listCohorts(),
    listParticipants({ cohortId, q }),
  ]);
  return { cohorts, participants, cohortId, q };
}

export default function Participants() {
  const { cohorts, participants, cohortId, q } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div>
      <div className="page-head">
        <h1>{t("participants.title")}</h1>
        <Link
          className="button"
          to={cohortId ? `/participants/new?cohort=${cohortId}` : "/participants/new"}
        >
          {t("participants.new")}
        </Link>
      </div>
      <Form method="get" className="filters" role="search">
        <SelectField
          label={t("participants.cohortFilter")}
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
        <Field
          label={t("participants.searchLabel")}
          name="q"
          type="search"
          defaultValue={q}
          required
        />
        <button type="submit">{t("common.search")}</button>
      </Form>
      {participants.length === 0 ? (
        <p className="muted">{t("participants.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("participants.penName")}</th>
                <th scope="col">{t("participants.realName")}</th>
                <th scope="col">{t("participants.ageBand")}</th>
                <th scope="col">{t("participants.cohort")}</th>
                <th scope="col">{t("participants.group")}</th>
                <th scope="col">{t("participants.status")}</th>
              </tr>
            </thead>
            <tbody>
              {participants.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/participants/${p.id}`}>{p.penName}</Link>
                  </td>
                  <td>{p.realName}</td>
                  <td>{t(`age.${p.ageBand as "20s"}`)}</td>
                  <td>{p.cohortName}</td>
                  <td>
                    {p.groupId ? (
                      <Link to={`/groups/${p.groupId}`}>{p.groupName}</Link>
                    ) : (
                      <span className="muted">{t("participants.noGroup")}</span>
                    )}
                  </td>
                  <td>
                    {p.withdrawnOn ? (
                      <span className="badge badge--finished">{t("participants.withdrawn")}</span>
                    ) : (
                      t("participants.active")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.participants");

export function ErrorBoundary() {
  return <ErrorPage />;
}
