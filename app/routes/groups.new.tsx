import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { ParticipantOptions } from "~/components/participant-options";
import { Field, FormErrors, SelectField } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { listCohorts } from "~/models/cohorts.server";
import { listAvailableParticipants } from "~/models/group-members.server";
import { createGroup, GroupCreateSchema } from "~/models/groups.server";
import { listHealthRooms } from "~/models/health-rooms.server";
import { requireStaff } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const cohortParam = new URL(request.url).searchParams.get("cohort");
  const [cohorts, rooms] = await Promise.all([listCohorts(), listHealthRooms()]);
  const cohortId =
    cohortParam && cohorts.some((c) => String(c.id) === cohortParam)
      ? Number(cohortParam)
      : (cohorts[0]?.id ?? null);
  const available = cohortId ? await listAvailableParticipants(cohortId) : [];
  return {
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
    rooms: rooms.map((r) => ({ id: r.id, name: r.name })),
    cohortId,
    available: available.map((p) => ({ id: p.id, label: `${p.pen_name}（${p.real_name}）` })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const form = await readForm(request);
  const parsed = parseForm(GroupCreateSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => createGroup(parsed.data, { actor, ip }), form);
  if (!result.ok) return result.response;
  return redirect(`/groups/${result.value}`);
}

export default function NewGroup() {
  const { cohorts, rooms, cohortId, available } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const params = actionData?.params ?? undefined;
  const submit = useSubmit();
  const t = useT();
  return (
    <div>
      <p>
        <Link to="/groups">← {t("groups.title")}</Link>
      </p>
      <h1>{t("groups.new")}</h1>
      {/* Changing the cohort reloads the list of people who can join (a GET, so it works without JS too). */}
      <Form method="get" className="filters" onChange={(e) => submit(e.currentTarget)}>
        <SelectField
          label={t("groups.cohort")}
          name="cohort"
          defaultValue={cohortId ?? ""}
          required
        >
          {cohorts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <noscript>
          <button type="submit">{t("common.next")}</button>
        </noscript>
      </Form>
      <Form method="post" noValidate className="card">
        <FormErrors errors={errors} />
        <input type="hidden" name="cohortId" value={cohortId ?? ""} />
        <Field
          label={t("groups.name")}
          name="name"
          required
          defaultValue={values.name ?? ""}
          error={errors?.name}
        />
        <SelectField
          label={t("groups.healthRoom")}
          name="healthRoomId"
          required
          defaultValue={values.healthRoomId ?? rooms[0]?.id ?? ""}
          error={errors?.healthRoomId}
        >
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <Field
          label={t("groups.interval")}
          name="handoffIntervalDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={90}
          required
          defaultValue={values.handoffIntervalDays ?? "7"}
          error={errors?.handoffIntervalDays}
        />
        <Field
          label={t("groups.notebookLabel")}
          name="notebookLabel"
          required
          defaultValue={values.notebookLabel ?? ""}
          error={errors?.notebookLabel}
        />
        <fieldset>
          <legend>{t("groups.members")}</legend>
          <p className="hint">{t("groups.memberHint")}</p>
          {available.length === 0 ? <p className="muted">{t("groups.noneAvailable")}</p> : null}
          {[1, 2, 3].map((n) => (
            <SelectField
              key={n}
              label={t("groups.member", { n })}
              name={`member${n}`}
              defaultValue={values[`member${n}`] ?? ""}
              error={errors?.[`member${n}`]}
              errorParams={params}
            >
              <ParticipantOptions people={available} prompt={t("groups.choose")} />
            </SelectField>
          ))}
        </fieldset>
        <button type="submit">{t("common.create")}</button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.groupNew");

export function ErrorBoundary() {
  return <ErrorPage />;
}
