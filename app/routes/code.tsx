import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
import { useEffect, useState } from "react";
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
  // A participant already in is sent on by the page itself, not by a redirect: a browser keeps
  // the address's fragment across a redirect, and the QR link's fragment holds the code.
  const participant = await getParticipant(request);
  return { loggedIn: participant !== null };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const code = cutCodePoints(String(form.get("code") ?? ""), 100);
  const fromQr = form.get("via") === "qr";
  const ip = getClientIp(request);
  if (!code.trim()) return data({ error: "error.required" as MessageKey }, { status: 400 });
  const result = await authenticateParticipant(code, ip);
  if (result.status === "throttled")
    return data({ error: "code.throttled" as MessageKey }, { status: 429 });
  if (result.status === "invalid")
    return data(
      { error: (fromQr ? "code.qrInvalid" : "code.invalid") as MessageKey },
      { status: 401 },
    );
  const cookie = await createSession({
    kind: "participant",
    participantId: result.participantId,
    ip,
    userAgent: request.headers.get("user-agent") ?? "",
  });
  return redirect("/me", { headers: { "Set-Cookie": cookie } });
}

/** The code in a QR link's fragment (`/code#code=…`), if there is one. */
function codeInFragment(hash: string): string | null {
  const code = new URLSearchParams(hash.replace(/^#/, "")).get("code");
  return code && code.trim() ? code : null;
}

export default function CodeLogin() {
  const t = useT();
  const { loggedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const submit = useSubmit();
  const navigate = useNavigate();
  const [fromQr, setFromQr] = useState(false);

  // A QR link: the code leaves the address bar (and the history) at once, then is posted. Also
  // when the link is opened on this page already (only the fragment changes: no new load).
  useEffect(() => {
    const fromFragment = () => {
      const code = codeInFragment(window.location.hash);
      if (!code) return false;
      window.history.replaceState(window.history.state, "", window.location.pathname);
      setFromQr(true);
      submit({ code, via: "qr" }, { method: "post", action: "/code", replace: true });
      return true;
    };
    if (!fromFragment() && loggedIn) navigate("/me", { replace: true });
    window.addEventListener("hashchange", fromFragment);
    return () => window.removeEventListener("hashchange", fromFragment);
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="auth-box card">
      <h1>{t("code.title")}</h1>
      {fromQr && busy ? (
        <p role="status" className="alert alert--ok">
          {t("code.fromQr")}
        </p>
      ) : null}
      {loggedIn ? (
        <p>
          <Link to="/me">{t("nav.myGroup")}</Link>
        </p>
      ) : null}
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
