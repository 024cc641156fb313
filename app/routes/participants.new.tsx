import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { ParticipantForm } from "~/components/participant-form";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { listCohorts } from "~/models/cohorts.server";
import {
  createParticipant,
  listReferrerOptions,
  ParticipantSchema,
} from "~/models/participants.server";
import { requireStaff } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const cohortParam = new URL(request.url).searchParams.get("cohort");
  const [cohorts, referrers] = await Promise.all([listCohorts(), listReferrerOptions()]);
  return {
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
    referrers,
    cohortId: cohortParam && /^\d+$/.test(cohortParam) ? Number(cohortParam) : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const form = await readForm(request);
  form.delete("withdrawnOn");
  const parsed = parseForm(ParticipantSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => createParticipant(parsed.data, { actor, ip }), form);
  if (!result.ok) return result.response;
  return redirect(`/participants/${result.value}?created=1`);
}

export default function NewParticipant() {
  const { cohorts, referrers, cohortId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const t = useT();
  return (
    <div>
      <p>
        <Link to="/participants">← {t("participants.title")}</Link>
      </p>
      <h1>{t("participants.new")}</h1>
      <div className="card">
        <ParticipantForm
          values={actionData?.values ?? { cohortId }}
          cohorts={cohorts}
          referrers={referrers}
          errors={errors}
          submitLabel={t("common.create")}
          showWithdrawn={false}
        />
      </div>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.participantNew");

export function ErrorBoundary() {
  return <ErrorPage />;
}
