import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { HealthRoomForm } from "~/components/health-room-form";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { getHealthRoom, HealthRoomSchema, updateHealthRoom } from "~/models/health-rooms.server";
import { requireAdmin } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const room = await getHealthRoom(requireIdParam(params.roomId));
  if (!room) notFound();
  return { room };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip } = await requireAdmin(request);
  const id = requireIdParam(params.roomId);
  const form = await readForm(request);
  const parsed = parseForm(HealthRoomSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => updateHealthRoom(id, parsed.data, { actor, ip }), form);
  if (!result.ok) return result.response;
  return redirect("/admin/health-rooms");
}

export default function EditHealthRoom() {
  const { room } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div>
      <p>
        <Link to="/admin/health-rooms">← {t("rooms.title")}</Link>
      </p>
      <h1>{t("rooms.edit")}</h1>
      <div className="card">
        <HealthRoomForm
          values={actionData?.values ?? room}
          errors={actionData?.errors}
          submitLabel={t("common.save")}
        />
      </div>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.healthRoomEdit");

export function ErrorBoundary() {
  return <ErrorPage />;
}
