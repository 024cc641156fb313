import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Field, FormErrors, SelectField } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { createStaffUser, listStaff, StaffCreateSchema } from "~/models/staff.server";
import { requireAdmin } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { staff: await listStaff() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, ip } = await requireAdmin(request);
  const form = await readForm(request);
  const parsed = parseForm(StaffCreateSchema, form);
  form.delete("password");
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => createStaffUser(parsed.data, { actor, ip }), form);
  if (!result.ok) return result.response;
  return redirect(`/admin/staff/${result.value}`);
}

export default function StaffList() {
  const { staff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const t = useT();
  return (
    <div>
      <h1>{t("staff.title")}</h1>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("staff.login")}</th>
              <th scope="col">{t("staff.displayName")}</th>
              <th scope="col">{t("staff.role")}</th>
              <th scope="col">{t("participants.status")}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/admin/staff/${s.id}`}>{s.login}</Link>
                </td>
                <td>{s.displayName}</td>
                <td>{t(`role.${s.role}`)}</td>
                <td>
                  {s.active ? (
                    t("staff.active")
                  ) : (
                    <span className="badge badge--finished">{t("staff.inactive")}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card" aria-labelledby="new-staff">
        <h2 id="new-staff">{t("staff.new")}</h2>
        <Form method="post" noValidate>
          <FormErrors errors={errors} />
          <Field
            label={t("staff.login")}
            name="login"
            required
            autoComplete="off"
            autoCapitalize="off"
            defaultValue={values.login ?? ""}
            error={errors?.login}
          />
          <Field
            label={t("staff.displayName")}
            name="displayName"
            required
            defaultValue={values.displayName ?? ""}
            error={errors?.displayName}
          />
          <SelectField
            label={t("staff.role")}
            name="role"
            required
            defaultValue={values.role ?? "staff"}
            error={errors?.role}
          >
            <option value="staff">{t("role.staff")}</option>
            <option value="admin">{t("role.admin")}</option>
          </SelectField>
          <Field
            label={t("staff.password")}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            error={errors?.password}
          />
          <button type="submit">{t("common.create")}</button>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.staff");

export function ErrorBoundary() {
  return <ErrorPage />;
}
