import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { ResourceForm } from "~/components/resource-form";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import {
  createResource,
  listResourceFilterOptions,
  ResourceInputSchema,
} from "~/models/resources.server";
import { requireStaff } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const options = await listResourceFilterOptions();
  return { knownTags: options.tags };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const form = await readForm(request);
  const parsed = parseForm(ResourceInputSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(
    () =>
      createResource(parsed.data, {
        actor: { type: "staff" as const, staffId: ctx.staff.id },
        ip: ctx.ip,
      }),
    form,
  );
  if (!result.ok) return result.response;
  return redirect(`/resources/${result.value}?done=save`);
}

export default function NewResource() {
  const { knownTags } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/resources">← {t("resources.backToList")}</Link>
      </p>
      <h1>{t("resources.new")}</h1>
      <div className="card">
        <ResourceForm
          values={(actionData?.values as Record<string, string> | undefined) ?? {}}
          errors={actionData?.errors}
          knownTags={knownTags}
          submitLabel={t("resources.create")}
        />
      </div>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.resourceNew");

export function ErrorBoundary() {
  return <ErrorPage />;
}
