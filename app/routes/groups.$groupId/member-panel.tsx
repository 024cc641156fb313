import { Form, Link } from "@remix-run/react";
import { useState } from "react";
import type { GroupStatus } from "../../../db/schema";
import { Field, FormErrors, SelectField } from "~/components/field";
import { ParticipantOptions } from "~/components/participant-options";
import type { MessageKey } from "~/i18n/i18n";
import { useLang, useT } from "~/i18n/use-t";
import { GROUP_SIZE } from "~/models/constants";
import type { MemberInfo } from "~/models/group-members.server";
import { formatDate } from "~/utils/dates";

/** The action's answer to a refused form: which form it was, its errors and what was sent. */
export interface FormFailure {
  intent: string | null;
  errors: Partial<Record<string, MessageKey>>;
  params: Record<string, string | number> | null;
  values: Record<string, string>;
}

/** The current members (add, replace, remove) and everyone who has left. */
export function MemberPanel({
  status,
  members,
  formerMembers,
  available,
  failure,
}: {
  status: GroupStatus;
  members: MemberInfo[];
  formerMembers: MemberInfo[];
  available: { id: number; label: string }[];
  failure: FormFailure | null;
}) {
  const t = useT();
  const lang = useLang();
  const params = failure?.params ?? undefined;
  const addErrors = failure?.intent === "addMember" ? failure.errors : undefined;
  // A refused replacement names the member it was for: its form opens on that row only.
  const replaceFailure = failure?.intent === "replaceMember" ? failure : null;
  const failedMemberId = replaceFailure ? Number(replaceFailure.values.memberId) : null;
  const [replacing, setReplacing] = useState<number | null>(null);
  const openRow = replacing ?? failedMemberId;
  const failedRowShown = members.some((m) => m.memberId === failedMemberId);

  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">{t("groups.members")}</h2>
      {replaceFailure && !failedRowShown ? (
        // The member has left meanwhile (or the form named no member of this group).
        <FormErrors errors={{ form: replaceFailure.errors.memberId ?? "error.notFound" }} />
      ) : null}
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
            {members.map((m) => {
              const rowErrors = failedMemberId === m.memberId ? replaceFailure?.errors : undefined;
              return (
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
                      {status !== "active" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="removeMember" />
                          <input type="hidden" name="memberId" value={m.memberId} />
                          <button type="submit" className="button--small button--quiet">
                            {t("groups.remove")}
                          </button>
                        </Form>
                      ) : null}
                    </div>
                    {openRow === m.memberId ? (
                      <Form method="post" noValidate>
                        <input type="hidden" name="intent" value="replaceMember" />
                        <input type="hidden" name="memberId" value={m.memberId} />
                        <SelectField
                          label={t("groups.replaceWith")}
                          name="participantId"
                          required
                          defaultValue=""
                          error={rowErrors?.participantId}
                          errorParams={params}
                        >
                          <ParticipantOptions people={available} prompt={t("groups.choose")} />
                        </SelectField>
                        <Field
                          label={t("groups.replaceReason")}
                          name="reason"
                          defaultValue={rowErrors ? replaceFailure?.values.reason : undefined}
                          error={rowErrors?.reason}
                        />
                        <button type="submit" className="button--small">
                          {t("groups.replace")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {members.length < GROUP_SIZE ? (
        <Form method="post" noValidate className="filters">
          <input type="hidden" name="intent" value="addMember" />
          <SelectField
            label={t("groups.addMember")}
            name="participantId"
            required
            defaultValue=""
            error={addErrors?.participantId}
            errorParams={params}
          >
            <ParticipantOptions people={available} prompt={t("groups.choose")} />
          </SelectField>
          <button type="submit">{t("groups.add")}</button>
        </Form>
      ) : addErrors?.participantId ? (
        <p className="field-error" role="alert">
          {t(addErrors.participantId, params)}
        </p>
      ) : null}
      {formerMembers.length > 0 ? (
        <>
          <h3>{t("groups.formerMembers")}</h3>
          <ul className="list-plain">
            {formerMembers.map((m) => (
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
  );
}
