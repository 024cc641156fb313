import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Field } from "~/components/field";
import type { MessageKey } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { authenticateParticipant } from "~/models/participants.server";
import { getParticipant } from "~/utils/auth.server";
import { getClientIp, readForm } from "~/utils/http.server";
import { createSession } from "~/utils/session.server";
import { cutCodePoints } from "~/utils/text";

export async function loader({ request }: LoaderFunctionArgs) {
  const participant = await getParticipant(request);
  if (participant) throw redirect("/me");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const code = cutCodePoints(String(form.get("code") ?? ""), 100);
  const ip = getClientIp(request);
  if (!code.trim()) return data({ error: "error.required" as MessageKey }, { status: 400 });
  const result = await authenticateParticipant(code, ip);
  if (result.status === "throttled")
    return data({ error: "code.throttled" as MessageKey }, { status: 429 });
  if (result.status === "invalid")
    return data({ error: "code.invalid" as MessageKey }, { status: 401 });
  const cookie = await createSession({
    kind: "participant",
    participantId: result.participantId,
    ip,
    userAgent: request.headers.get("user-agent") ?? "",
  });
  return redirect("/me", { headers: { "Set-Cookie": cookie } });
}

export default function CodeLogin() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="auth-box card">
      <h1>{t("code.title")}</h1>
      <p>{t("code.intro")}</p>
      <Form method="post">
        <Field
          label={t("code.label")}
          name="code"
          hint={t("code.hint")}
          error={actionData?.error}
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          required
        />
        <button type="submit" disabled={busy}>
          {t("code.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("code.staffLink")}</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.code");
