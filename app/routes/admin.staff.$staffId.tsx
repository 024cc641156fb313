import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorPage } from "~/components/error-page";
import { Field, FormErrors, Notice, SelectField } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import {
  getStaffUser,
  PasswordSchema,
  setStaffActive,
  setStaffPassword,
  StaffUpdateSchema,
  updateStaffUser,
} from "~/models/staff.server";
import { requireAdmin } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const user = await getStaffUser(requireIdParam(params.staffId));
  if (!user) notFound();
  return { user };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip } = await requireAdmin(request);
  const id = requireIdParam(params.staffId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const by = { actor, ip };
  if (intent === "update") {
    const parsed = parseForm(StaffUpdateSchema, form);
    if (parsed.errors) return invalid(parsed.errors, { form });
    const result = await runMutation(() => updateStaffUser(id, parsed.data, by), form);
    return result.ok ? data({ ok: true as const, notice: "saved" as const }) : result.response;
  }
  if (intent === "password") {
    const parsed = parseForm(z.object({ password: PasswordSchema }), form);
    form.delete("password");
    if (parsed.errors) return invalid(parsed.errors, { form });
    const result = await runMutation(() => setStaffPassword(id, parsed.data.password, by), form);
    return result.ok ? data({ ok: true as const, notice: "password" as const }) : result.response;
  }
  if (intent === "activate" || intent === "deactivate") {
    const result = await runMutation(() => setStaffActive(id, intent === "activate", by), form);
    return result.ok ? data({ ok: true as const, notice: "saved" as const }) : result.response;
  }
  throw new Response("Bad Request", { status: 400 });
}

export default function StaffDetail() {
  const { user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const failed = actionData && !actionData.ok ? actionData : null;
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : undefined);
  return (
    <div>
      <p>
        <Link to="/admin/staff">← {t("staff.title")}</Link>
      </p>
      <h1>
        {user.displayName} <span className="muted">（{user.login}）</span>
        {user.active ? null : <span className="badge badge--finished">{t("staff.inactive")}</span>}
      </h1>
      {actionData?.ok ? (
        <Notice>
          {actionData.notice === "password" ? t("staff.passwordReset") : t("common.saved")}
        </Notice>
      ) : null}
      {failed && (failed.intent === "activate" || failed.intent === "deactivate") ? (
        <FormErrors errors={failed.errors} />
      ) : null}

      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">{t("staff.edit")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="update" />
          <FormErrors errors={errorsFor("update")} />
          <Field
            label={t("staff.displayName")}
            name="displayName"
            required
            defaultValue={user.displayName}
            error={errorsFor("update")?.displayName}
          />
          <SelectField
            label={t("staff.role")}
            name="role"
            required
            defaultValue={user.role}
            error={errorsFor("update")?.role}
          >
            <option value="staff">{t("role.staff")}</option>
            <option value="admin">{t("role.admin")}</option>
          </SelectField>
          <button type="submit">{t("common.save")}</button>
        </Form>
      </section>

      <section className="card" aria-labelledby="pw-title">
        <h2 id="pw-title">{t("staff.resetPassword")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="password" />
          <Field
            label={t("staff.newPassword")}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            error={errorsFor("password")?.password}
          />
          <button type="submit">{t("staff.resetPassword")}</button>
        </Form>
      </section>

      <Form method="post">
        <input type="hidden" name="intent" value={user.active ? "deactivate" : "activate"} />
        <button type="submit" className={user.active ? "button--danger" : undefined}>
          {user.active ? t("staff.deactivate") : t("staff.activate")}
        </button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.staffMember");

export function ErrorBoundary() {
  return <ErrorPage />;
}
