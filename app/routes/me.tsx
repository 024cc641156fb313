import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { useT } from "~/i18n/use-t";
import { requireParticipant } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { groupId } = await requireParticipant(request);
  if (groupId !== null) throw redirect(`/g/${groupId}`);
  return null;
}

export default function MyHome() {
  const t = useT();
  return (
    <div className="card">
      <p>{t("me.noGroup")}</p>
    </div>
  );
}
