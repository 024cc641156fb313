import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLang } from "~/i18n/i18n";
import { readForm, safeRedirectPath } from "~/utils/http.server";

// Open to everyone: the language choice is not personal data and must work on the login page.
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lang = form.get("lang");
  const to = safeRedirectPath(form.get("redirectTo"));
  if (!isLang(lang)) return redirect(to);
  return redirect(to, {
    headers: { "Set-Cookie": `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax` },
  });
}

export async function loader() {
  return redirect("/");
}
