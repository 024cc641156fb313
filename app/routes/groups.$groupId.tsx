import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import type { GroupStatus } from "../../db/schema";
import { ErrorPage } from "~/components/error-page";
import { ParticipantOptions } from "~/components/participant-options";
import { Field, FormErrors, Notice, SelectField } from "~/components/field";
import { StatusBadge } from "~/components/status-badge";
import { useLang, useT } from "~/i18n/use-t";
import { GROUP_SIZE, GROUP_TRANSITIONS } from "~/models/constants";
import {
  getCustodyState,
  HandoffSchema,
  listHandoffs,
  recordHandoff,
} from "~/models/custody.server";
import {
  AddMemberSchema,
  addMember,
  getGroup,
  GroupUpdateSchema,
  listAvailableParticipants,
  removeMember,
  replaceMember,
  ReplaceMemberSchema,
  setGroupStatus,
  updateGroup,
} from "~/models/groups.server";
import { listHealthRooms } from "~/models/health-rooms.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, formatDateTime, isoToLocalDateTime } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { notFound, requireIdParam } from "~/utils/http.server";

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

const STATUS_VALUES = ["forming", "active", "finished"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const id = requireIdParam(params.groupId);
  const form = await request.formData();
  const intent = form.get("intent");
  const by = { actor, ip };
  const done = (notice: "saved" | "handoff", dueOn: string | null = null) =>
    data({ ok: true as const, intent, notice, dueOn });

  switch (intent) {
    case "update": {
      const parsed = parseForm(GroupUpdateSchema, form);
      if (parsed.errors) return invalid(parsed.errors, { form });
      const result = await runMutation(() => updateGroup(id, parsed.data, by), form);
      return result.ok ? done("saved") : result.response;
    }
    case "status": {
      const status = STATUS_VALUES.find((s) => s === form.get("status"));
      if (!status) return invalid({ form: "error.invalid" }, { form });
      const result = await runMutation(() => setGroupStatus(id, status, by), form);
      return result.ok ? done("saved") : result.response;
    }
    case "addMember": {
      const parsed = parseForm(AddMemberSchema, form);
      if (parsed.errors) return invalid(parsed.errors, { form });
      const result = await runMutation(() => addMember(id, parsed.data.participantId, by), form);
      return result.ok ? done("saved") : result.response;
    }
    case "replaceMember": {
      const parsed = parseForm(ReplaceMemberSchema, form);
      if (parsed.errors) return invalid(parsed.errors, { form });
      const result = await runMutation(() => replaceMember(id, parsed.data, by), form);
      return result.ok ? done("saved") : result.response;
    }
    case "removeMember": {
      const memberId = Number(form.get("memberId"));
      if (!Number.isInteger(memberId) || memberId <= 0)
        return invalid({ form: "error.invalid" }, { form });
      const result = await runMutation(() => removeMember(id, memberId, by), form);
      return result.ok ? done("saved") : result.response;
    }
    case "handoff": {
      if (actor.type !== "staff") throw new Response("Forbidden", { status: 403 });
      const parsed = parseForm(HandoffSchema, form);
      if (parsed.errors) return invalid(parsed.errors, { form });
      const result = await runMutation(() => recordHandoff(id, parsed.data, { actor, ip }), form);
      if (!result.ok) return result.response;
      return done("handoff", result.value.dueOn);
    }
    default:
      throw new Response("Bad Request", { status: 400 });
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
  const [replacing, setReplacing] = useState<number | null>(null);
  const handoffErrors = errorsFor("handoff");
  const defaultTo = custody.holder
    ? "room"
    : String(custody.suggestedNext?.participantId ?? "room");

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

      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">{t("groups.members")}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("groups.position")}</th>
                <th scope="col">{t("participants.penName")}</th>
                <th scope="col">{t("participants.realName")}</th>
                <th scope="col">{t("groups.joinedOn")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {group.members.map((m) => (
                <tr key={m.memberId}>
                  <td>{m.position}</td>
                  <td>
                    <Link to={`/participants/${m.participantId}`}>{m.penName}</Link>
                    {m.withdrawnOn ? (
                      <span className="badge badge--danger">{t("participants.withdrawn")}</span>
                    ) : null}
                  </td>
                  <td>{m.realName}</td>
                  <td>{formatDate(m.joinedOn, lang)}</td>
                  <td>
                    <div className="actions">
                      <button
                        type="button"
                        className="button--small button--quiet"
                        onClick={() => setReplacing(m.memberId)}
                      >
                        {t("groups.replace")}
                      </button>
                      {group.status !== "active" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="removeMember" />
                          <input type="hidden" name="memberId" value={m.memberId} />
                          <button type="submit" className="button--small button--quiet">
                            {t("groups.remove")}
                          </button>
                        </Form>
                      ) : null}
                    </div>
                    {replacing === m.memberId || errorsFor("replaceMember") ? (
                      <Form method="post" noValidate>
                        <input type="hidden" name="intent" value="replaceMember" />
                        <input type="hidden" name="memberId" value={m.memberId} />
                        <SelectField
                          label={t("groups.replaceWith")}
                          name="participantId"
                          required
                          defaultValue=""
                          error={errorsFor("replaceMember")?.participantId}
                          errorParams={failed?.params ?? undefined}
                        >
                          <ParticipantOptions people={available} prompt={t("groups.choose")} />
                        </SelectField>
                        <Field label={t("groups.replaceReason")} name="reason" />
                        <button type="submit" className="button--small">
                          {t("groups.replace")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {group.members.length < GROUP_SIZE ? (
          <Form method="post" noValidate className="filters">
            <input type="hidden" name="intent" value="addMember" />
            <SelectField
              label={t("groups.addMember")}
              name="participantId"
              required
              defaultValue=""
              error={errorsFor("addMember")?.participantId}
              errorParams={failed?.params ?? undefined}
            >
              <ParticipantOptions people={available} prompt={t("groups.choose")} />
            </SelectField>
            <button type="submit">{t("groups.add")}</button>
          </Form>
        ) : errorsFor("addMember")?.participantId ? (
          <p className="field-error" role="alert">
            {t(errorsFor("addMember")!.participantId!, failed?.params ?? undefined)}
          </p>
        ) : null}
        {group.formerMembers.length > 0 ? (
          <>
            <h3>{t("groups.formerMembers")}</h3>
            <ul className="list-plain">
              {group.formerMembers.map((m) => (
                <li key={m.memberId}>
                  <Link to={`/participants/${m.participantId}`}>{m.penName}</Link>（
                  {t("groups.position")} {m.position}） {formatDate(m.joinedOn, lang)} 〜{" "}
                  {formatDate(m.leftOn, lang)}
                  {m.leftReason ? `・${m.leftReason}` : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="custody-title">
        <h2 id="custody-title">{t("custody.title")}</h2>
        <dl>
          <dt>{t("custody.holder")}</dt>
          <dd className="big-status" data-testid="holder">
            {custody.holder
              ? custody.holder.penName
              : custody.since
                ? custody.lastRoomName
                  ? t("custody.atRoomName", { room: custody.lastRoomName })
                  : t("custody.atRoom")
                : t("custody.notStarted")}
          </dd>
          {custody.holder && custody.dueOn ? (
            <>
              <dt>{t("custody.due")}</dt>
              <dd data-testid="due">{formatDate(custody.dueOn, lang)}</dd>
            </>
          ) : null}
          {custody.suggestedNext ? (
            <>
              <dt>{t("custody.next")}</dt>
              <dd>{custody.suggestedNext.penName}</dd>
            </>
          ) : null}
        </dl>

        {group.status === "active" ? (
          <Form method="post" noValidate>
            <h3>{t("custody.record")}</h3>
            <FormErrors errors={handoffErrors} />
            <input type="hidden" name="intent" value="handoff" />
            <fieldset>
              <legend>{t("custody.to")}</legend>
              {custody.holder ? (
                <label className="choice">
                  <input
                    type="radio"
                    name="to"
                    value="room"
                    defaultChecked={defaultTo === "room"}
                  />{" "}
                  {t("custody.toRoom")}
                </label>
              ) : null}
              {group.members
                .filter((m) => m.participantId !== custody.holder?.participantId)
                .map((m) => (
                  <label className="choice" key={m.participantId}>
                    <input
                      type="radio"
                      name="to"
                      value={m.participantId}
                      defaultChecked={defaultTo === String(m.participantId)}
                    />{" "}
                    {t("custody.toMember", { name: m.penName })}
                    {custody.suggestedNext?.participantId === m.participantId
                      ? t("custody.suggested")
                      : null}
                  </label>
                ))}
              {handoffErrors?.to ? <p className="field-error">{t(handoffErrors.to)}</p> : null}
            </fieldset>
            <SelectField
              label={t("custody.room")}
              name="healthRoomId"
              required
              defaultValue={group.health_room_id}
              error={handoffErrors?.healthRoomId}
            >
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </SelectField>
            <Field
              label={t("custody.handedAt")}
              name="handedAt"
              type="datetime-local"
              required
              defaultValue={now}
              error={handoffErrors?.handedAt}
            />
            <Field
              label={t("custody.dueOn")}
              name="dueOn"
              type="date"
              error={handoffErrors?.dueOn}
            />
            <Field label={t("custody.note")} name="note" error={handoffErrors?.note} />
            <button type="submit">{t("custody.record")}</button>
          </Form>
        ) : (
          <p className="muted">{t("custody.notActive")}</p>
        )}

        <h3>{t("custody.history")}</h3>
        {handoffs.length === 0 ? (
          <p className="muted">{t("custody.notStarted")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("custody.handedAt")}</th>
                  <th scope="col">{t("custody.from")}</th>
                  <th scope="col">{t("custody.toCol")}</th>
                  <th scope="col">{t("custody.due")}</th>
                  <th scope="col">{t("custody.room")}</th>
                  <th scope="col">{t("custody.recordedBy")}</th>
                </tr>
              </thead>
              <tbody>
                {handoffs.map((h) => (
                  <tr key={h.id}>
                    <td>{formatDateTime(h.handedAt, lang)}</td>
                    <td>{h.fromPenName ?? t("custody.room")}</td>
                    <td>{h.toPenName ?? t("custody.room")}</td>
                    <td>{formatDate(h.dueOn, lang)}</td>
                    <td>{h.healthRoomName}</td>
                    <td>
                      {h.recordedBy}
                      {h.note ? <div className="muted">{h.note}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

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

export const meta: MetaFunction = () => [{ title: "グループ | 交換日記" }];

export function ErrorBoundary() {
  return <ErrorPage />;
}
