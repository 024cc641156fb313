import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { GroupStatus } from "../../../db/schema";
import { ErrorPage } from "~/components/error-page";
import { Field, FormErrors, Notice, SelectField } from "~/components/field";
import { StatusBadge } from "~/components/status-badge";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { GROUP_SIZE, GROUP_TRANSITIONS } from "~/models/constants";
import { getCustodyState, listHandoffs, recordHandoff } from "~/models/custody.server";
import {
  addMember,
  listAvailableParticipants,
  removeMember,
  replaceMember,
} from "~/models/group-members.server";
import { getGroup, setGroupStatus, updateGroup } from "~/models/groups.server";
import { listHealthRooms } from "~/models/health-rooms.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, isoToLocalDateTime } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { badRequest, notFound, readForm, requireIdParam } from "~/utils/http.server";
import { GroupActionSchema } from "./action-schema.server";
import { CustodyPanel } from "./custody-panel";
import { MemberPanel } from "./member-panel";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = requireIdParam(params.groupId);
  const group = await getGroup(id);
  if (!group) notFound();
  const [custody, handoffs, rooms, available] = await Promise.all([
    getCustodyState(id, group.notebookId),
    listHandoffs(group.notebookId),
    listHealthRooms(),
    listAvailableParticipants(group.cohort_id),
  ]);
  return {
    group,
    custody,
    handoffs,
    rooms: rooms.map((r) => ({ id: r.id, name: r.name })),
    available: available.map((p) => ({ id: p.id, label: `${p.pen_name}（${p.real_name}）` })),
    now: isoToLocalDateTime(new Date().toISOString()),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const id = requireIdParam(params.groupId);
  const form = await readForm(request);
  const parsed = parseForm(GroupActionSchema, form);
  if (parsed.errors) {
    if (parsed.errors.intent) badRequest();
    // The status buttons and the remove button have no field to show an error beside.
    const intent = form.get("intent");
    const buttonOnly = intent === "status" || intent === "removeMember";
    return invalid(buttonOnly ? { form: "error.invalid" } : parsed.errors, { form });
  }
  const input = parsed.data;
  const by = { actor, ip };
  const done = (notice: "saved" | "handoff", dueOn: string | null = null) =>
    data({ ok: true as const, intent: input.intent, notice, dueOn });
  const mutate = async (fn: () => Promise<unknown>) => {
    const result = await runMutation(fn, form);
    return result.ok ? done("saved") : result.response;
  };

  switch (input.intent) {
    case "update": {
      const { intent, ...fields } = input;
      return mutate(() => updateGroup(id, fields, by));
    }
    case "status":
      return mutate(() => setGroupStatus(id, input.status, by));
    case "addMember":
      return mutate(() => addMember(id, input.participantId, by));
    case "replaceMember": {
      const { intent, ...fields } = input;
      return mutate(() => replaceMember(id, fields, by));
    }
    case "removeMember":
      return mutate(() => removeMember(id, input.memberId, by));
    case "handoff": {
      if (actor.type !== "staff") throw new Response("Forbidden", { status: 403 });
      const { intent, ...fields } = input;
      const result = await runMutation(() => recordHandoff(id, fields, { actor, ip }), form);
      if (!result.ok) return result.response;
      return done("handoff", result.value.dueOn);
    }
  }
}

function StatusActions({ status, memberCount }: { status: GroupStatus; memberCount: number }) {
  const t = useT();
  const labels: Record<GroupStatus, Parameters<typeof t>[0]> = {
    active: status === "finished" ? "groups.reactivate" : "groups.activate",
    finished: "groups.finish",
    forming: "groups.activate",
  };
  return (
    <div className="actions">
      {GROUP_TRANSITIONS[status].map((to) => (
        <Form method="post" key={to}>
          <input type="hidden" name="intent" value="status" />
          <input type="hidden" name="status" value={to} />
          <button
            type="submit"
            className={to === "finished" ? "button--quiet" : undefined}
            disabled={to === "active" && memberCount !== GROUP_SIZE}
          >
            {t(labels[to])}
          </button>
        </Form>
      ))}
    </div>
  );
}

export default function GroupDetail() {
  const { group, custody, handoffs, rooms, available, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const failed = actionData && !actionData.ok ? actionData : null;
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : undefined);

  return (
    <div>
      <p>
        <Link to={`/groups?cohort=${group.cohort_id}`}>← {t("groups.title")}</Link>
      </p>
      <div className="page-head">
        <h1>
          {group.name} <StatusBadge status={group.status} />
        </h1>
        <Link to={`/g/${group.id}`}>{t("groups.participantView")}</Link>
      </div>
      <p className="muted">
        {group.cohortName}・{group.healthRoomName}・{t("custody.notebook")}「{group.notebookLabel}
        」・
        {t("groups.interval")}: {t("common.days", { n: group.handoff_interval_days })}
      </p>
      {actionData?.ok ? (
        <Notice>
          {actionData.notice === "handoff"
            ? actionData.dueOn
              ? t("custody.recorded", { due: formatDate(actionData.dueOn, lang) })
              : t("custody.recordedRoom")
            : t("common.saved")}
        </Notice>
      ) : null}
      {failed && (failed.intent === "status" || failed.intent === "removeMember") ? (
        <FormErrors errors={failed.errors} />
      ) : null}
      <StatusActions status={group.status} memberCount={group.members.length} />

      <MemberPanel
        status={group.status}
        members={group.members}
        formerMembers={group.formerMembers}
        available={available}
        failure={failed}
      />

      <CustodyPanel
        status={group.status}
        members={group.members}
        healthRoomId={group.health_room_id}
        custody={custody}
        handoffs={handoffs}
        rooms={rooms}
        now={now}
        errors={errorsFor("handoff")}
      />

      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">{t("groups.edit")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="update" />
          <FormErrors errors={errorsFor("update")} />
          <Field
            label={t("groups.name")}
            name="name"
            required
            defaultValue={group.name}
            error={errorsFor("update")?.name}
          />
          <SelectField
            label={t("groups.healthRoom")}
            name="healthRoomId"
            required
            defaultValue={group.health_room_id}
            error={errorsFor("update")?.healthRoomId}
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
            min={1}
            max={90}
            required
            defaultValue={group.handoff_interval_days}
            error={errorsFor("update")?.handoffIntervalDays}
          />
          <Field
            label={t("groups.notebookLabel")}
            name="notebookLabel"
            required
            defaultValue={group.notebookLabel}
            error={errorsFor("update")?.notebookLabel}
          />
          <button type="submit">{t("common.save")}</button>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.group");

export function ErrorBoundary() {
  return <ErrorPage />;
}
