import { Form } from "@remix-run/react";
import type { GroupStatus } from "../../../db/schema";
import { Field, FormErrors, SelectField } from "~/components/field";
import type { MessageKey } from "~/i18n/i18n";
import { useLang, useT } from "~/i18n/use-t";
import type { CustodyState, HandoffView } from "~/models/custody.server";
import type { MemberInfo } from "~/models/group-members.server";
import { formatDate, formatDateTime } from "~/utils/dates";

/** Who has the notebook, the form that records a handoff, and the handoff history. */
export function CustodyPanel({
  status,
  members,
  healthRoomId,
  custody,
  handoffs,
  rooms,
  now,
  errors,
}: {
  status: GroupStatus;
  members: MemberInfo[];
  /** The group's own health room, the form's default. */
  healthRoomId: number;
  custody: CustodyState;
  handoffs: HandoffView[];
  rooms: { id: number; name: string }[];
  /** Local date and time for the form's default. */
  now: string;
  errors: Partial<Record<string, MessageKey>> | undefined;
}) {
  const t = useT();
  const lang = useLang();
  const defaultTo = custody.holder
    ? "room"
    : String(custody.suggestedNext?.participantId ?? "room");

  return (
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

      {status === "active" ? (
        <Form method="post" noValidate>
          <h3>{t("custody.record")}</h3>
          <FormErrors errors={errors} />
          <input type="hidden" name="intent" value="handoff" />
          <fieldset>
            <legend>{t("custody.to")}</legend>
            {custody.holder ? (
              <label className="choice">
                <input type="radio" name="to" value="room" defaultChecked={defaultTo === "room"} />{" "}
                {t("custody.toRoom")}
              </label>
            ) : null}
            {members
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
            {errors?.to ? <p className="field-error">{t(errors.to)}</p> : null}
          </fieldset>
          <SelectField
            label={t("custody.room")}
            name="healthRoomId"
            required
            defaultValue={healthRoomId}
            error={errors?.healthRoomId}
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
            error={errors?.handedAt}
          />
          <Field label={t("custody.dueOn")} name="dueOn" type="date" error={errors?.dueOn} />
          <Field label={t("custody.note")} name="note" error={errors?.note} />
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
  );
}
