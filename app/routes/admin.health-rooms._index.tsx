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
import { createHealthRoom, HealthRoomSchema, listHealthRooms } from "~/models/health-rooms.server";
import { requireAdmin } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { rooms: await listHealthRooms() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, ip } = await requireAdmin(request);
  const form = await readForm(request);
  const parsed = parseForm(HealthRoomSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => createHealthRoom(parsed.data, { actor, ip }), form);
  if (!result.ok) return result.response;
  return redirect("/admin/health-rooms");
}

export default function HealthRooms() {
  const { rooms } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div>
      <h1>{t("rooms.title")}</h1>
      {rooms.length === 0 ? (
        <p className="muted">{t("rooms.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("rooms.name")}</th>
                <th scope="col">{t("rooms.area")}</th>
                <th scope="col">{t("rooms.address")}</th>
                <th scope="col">{t("rooms.hours")}</th>
              </tr>
            </thead>
            <tbody>
              {rooms.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/admin/health-rooms/${r.id}`}>{r.name}</Link>
                  </td>
                  <td>{r.area}</td>
                  <td>{r.address}</td>
                  <td>{r.hours}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card" aria-labelledby="new-room">
        <h2 id="new-room">{t("rooms.new")}</h2>
        <HealthRoomForm
          values={actionData?.values ?? {}}
          errors={actionData?.errors}
          submitLabel={t("common.create")}
        />
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.healthRooms");

export function ErrorBoundary() {
  return <ErrorPage />;
}
