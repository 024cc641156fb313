import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Field, FormErrors } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { CohortSchema, getCohort, updateCohort } from "~/models/cohorts.server";
import { requireStaff } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const cohort = await getCohort(requireIdParam(params.cohortId));
  if (!cohort) notFound();
  return { cohort };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const id = requireIdParam(params.cohortId);
  const parsed = parseForm(CohortSchema, await readForm(request));
  if (parsed.errors) return invalid(parsed.errors);
  const result = await runMutation(() => updateCohort(id, parsed.data, { actor, ip }));
  if (!result.ok) return result.response;
  return redirect("/cohorts");
}

export default function CohortEdit() {
  const { cohort } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors;
  const t = useT();
  return (
    <div>
      <p>
        <Link to="/cohorts">← {t("cohorts.title")}</Link>
      </p>
      <h1>{t("cohorts.edit")}</h1>
      <FormErrors errors={errors} />
      <Form method="post" noValidate className="card">
        <Field
          label={t("cohorts.name")}
          name="name"
          defaultValue={cohort.name}
          required
          error={errors?.name}
        />
        <Field
          label={t("cohorts.startsOn")}
          name="startsOn"
          type="date"
          defaultValue={cohort.starts_on}
          required
          error={errors?.startsOn}
        />
        <Field
          label={t("cohorts.endsOn")}
          name="endsOn"
          type="date"
          defaultValue={cohort.ends_on}
          required
          error={errors?.endsOn}
        />
        <button type="submit">{t("common.save")}</button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.cohortEdit");

export function ErrorBoundary() {
  return <ErrorPage />;
}
