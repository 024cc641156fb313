import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/field";
import type { MessageKey } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { authenticateStaff } from "~/models/staff.server";
import { getStaff } from "~/utils/auth.server";
import { getClientIp, readForm, safeRedirectPath } from "~/utils/http.server";
import { createSession } from "~/utils/session.server";
import { cutCodePoints } from "~/utils/text";

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getStaff(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const login = cutCodePoints(String(form.get("login") ?? ""), 100);
  const password = cutCodePoints(String(form.get("password") ?? ""), 1000);
  const ip = getClientIp(request);
  if (!login || !password) {
    return data({ error: "login.invalid" as MessageKey }, { status: 400 });
  }
  const result = await authenticateStaff(login, password, ip);
  if (result.status === "throttled")
    return data({ error: "login.throttled" as MessageKey }, { status: 429 });
  if (result.status === "invalid")
    return data({ error: "login.invalid" as MessageKey }, { status: 401 });
  const cookie = await createSession({
    kind: "staff",
    staffUserId: result.staffUserId,
    ip,
    userAgent: request.headers.get("user-agent") ?? "",
  });
  return redirect(safeRedirectPath(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="auth-box card">
      <h1>{t("login.title")}</h1>
      {actionData?.error ? (
        <div className="alert alert--error" role="alert">
          <p>{t(actionData.error)}</p>
        </div>
      ) : null}
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          label={t("login.login")}
          name="login"
          autoComplete="username"
          required
          autoCapitalize="off"
        />
        <Field
          label={t("login.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/code">{t("login.participantLink")}</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.login");
