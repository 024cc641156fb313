import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { ErrorPage } from "~/components/error-page";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { CohortSchema, createCohort, listCohorts } from "~/models/cohorts.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return { cohorts: await listCohorts() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const parsed = parseForm(CohortSchema, await readForm(request));
  if (parsed.errors) return invalid(parsed.errors);
  const result = await runMutation(() => createCohort(parsed.data, { actor, ip }));
  if (!result.ok) return result.response;
  return redirect(`/participants?cohort=${result.value}`);
}

export default function Cohorts() {
  const { cohorts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const t = useT();
  const lang = useLang();
  return (
    <div>
      <h1>{t("cohorts.title")}</h1>
      {cohorts.length === 0 ? (
        <p className="muted">{t("cohorts.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("cohorts.name")}</th>
                <th scope="col">{t("cohorts.startsOn")}</th>
                <th scope="col">{t("cohorts.endsOn")}</th>
                <th scope="col">{t("cohorts.participants")}</th>
                <th scope="col">{t("cohorts.groups")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {cohorts.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{formatDate(c.starts_on, lang)}</td>
                  <td>{formatDate(c.ends_on, lang)}</td>
                  <td>
                    <Link to={`/participants?cohort=${c.id}`}>{c.participantCount}</Link>
                  </td>
                  <td>
                    <Link to={`/groups?cohort=${c.id}`}>{c.groupCount}</Link>
                  </td>
                  <td>
                    <Link to={`/cohorts/${c.id}`}>{t("common.edit")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card" aria-labelledby="new-cohort">
        <h2 id="new-cohort">{t("cohorts.new")}</h2>
        <FormErrors errors={errors} />
        <Form method="post" noValidate>
          <Field
            label={t("cohorts.name")}
            name="name"
            hint={t("cohorts.nameHint")}
            required
            error={errors?.name}
          />
          <Field
            label={t("cohorts.startsOn")}
            name="startsOn"
            type="date"
            required
            error={errors?.startsOn}
          />
          <Field
            label={t("cohorts.endsOn")}
            name="endsOn"
            type="date"
            required
            error={errors?.endsOn}
          />
          <button type="submit">{t("common.create")}</button>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.cohorts");

export function ErrorBoundary() {
  return <ErrorPage />;
}
