import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getSession, destroySession } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  const session = await getSession(request);
  const cookie = await destroySession(request);
  return redirect(session?.kind === "participant" ? "/code" : "/login", {
    headers: { "Set-Cookie": cookie },
  });
}

// Logging out changes state, so it is a POST only.
export async function loader() {
  return redirect("/");
}
