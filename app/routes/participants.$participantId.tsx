import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Notice } from "~/components/field";
import { ParticipantCard, type ParticipantCardData } from "~/components/participant-card";
import { ParticipantForm } from "~/components/participant-form";
import { PrintButton } from "~/components/print-button";
import { StatusBadge } from "~/components/status-badge";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { listCohorts } from "~/models/cohorts.server";
import { listMembershipsOfParticipant } from "~/models/group-members.server";
import {
  getParticipant,
  getReferralChain,
  issueAccessCode,
  listReferrerOptions,
  ParticipantSchema,
  updateParticipant,
} from "~/models/participants.server";
import { getGroupForParticipantView } from "~/models/participant-view.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";
import { getEnv } from "~/utils/env.server";
import { qrSvg } from "~/utils/qr.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = requireIdParam(params.participantId);
  const participant = await getParticipant(id);
  if (!participant) notFound();
  const [cohorts, referrers, chain, memberships] = await Promise.all([
    listCohorts(),
    listReferrerOptions(id),
    getReferralChain(id),
    listMembershipsOfParticipant(id),
  ]);
  const { access_code_hash: _hash, access_code_selector: selector, ...visible } = participant;
  return {
    participant: { ...visible, hasAccessCode: selector !== null },
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
    referrers,
    chain,
    memberships,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const id = requireIdParam(params.participantId);
  const form = await readForm(request);
  if (form.get("intent") === "issueCode") {
    const result = await runMutation(() => issueAccessCode(id, { actor, ip }));
    if (!result.ok) return result.response;
    const card = await participantCard(request, id, result.value);
    return data({ ok: true as const, code: result.value, card, saved: false });
  }
  const parsed = parseForm(ParticipantSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => updateParticipant(id, parsed.data, { actor, ip }), form);
  if (!result.ok) return result.response;
  return data({ ok: true as const, code: null, card: null, saved: true });
}

/**
 * The printed card for a code just issued. The QR link carries the code in its fragment, which
 * browsers never send to a server (no access log, no Referer); the entrance page posts it.
 */
async function participantCard(
  request: Request,
  participantId: number,
  code: string,
): Promise<ParticipantCardData> {
  const participant = await getParticipant(participantId);
  const memberships = await listMembershipsOfParticipant(participantId);
  const current = memberships.find((m) => !m.left_on);
  const group = current ? await getGroupForParticipantView(current.groupId) : null;
  const entranceUrl = `${getEnv().publicUrl ?? new URL(request.url).origin}/code`;
  return {
    penName: participant?.pen_name ?? "",
    code,
    entranceUrl,
    qrSvg: await qrSvg(`${entranceUrl}#code=${code}`),
    roomName: group?.roomName ?? null,
  };
}

export default function ParticipantDetail() {
  const { participant: p, cohorts, referrers, chain, memberships } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const errors = actionData && !actionData.ok ? actionData.errors : undefined;
  const issuedCode = actionData?.ok ? actionData.code : null;
  const card = actionData?.ok ? actionData.card : null;
  return (
    <div>
      <p>
        <Link to={`/participants?cohort=${p.cohort_id}`}>← {t("participants.title")}</Link>
      </p>
      <h1>
        {p.pen_name} <span className="muted">（{p.real_name}）</span>
        {p.withdrawn_on ? (
          <span className="badge badge--finished">{t("participants.withdrawn")}</span>
        ) : null}
      </h1>
      {params.get("created") ? <Notice>{t("common.created")}</Notice> : null}
      {actionData?.ok && actionData.saved ? <Notice>{t("common.saved")}</Notice> : null}

      <div className="grid">
        <section className="card" aria-labelledby="code-title">
          <h2 id="code-title">{t("participants.accessCode")}</h2>
          {issuedCode ? (
            <div className="alert alert--ok" role="status">
              <p className="code-display" data-testid="issued-code">
                {issuedCode}
              </p>
              <p>{t("participants.codeShownOnce")}</p>
              <p>
                <PrintButton label={t("card.print")} />
              </p>
            </div>
          ) : null}
          <p>
            {p.hasAccessCode && p.access_code_issued_at
              ? t("participants.codeIssuedAt", {
                  at: formatDateTime(p.access_code_issued_at, lang),
                })
              : t("participants.codeNone")}
          </p>
          {p.withdrawn_on ? null : (
            <Form method="post">
              <input type="hidden" name="intent" value="issueCode" />
              <button type="submit">
                {p.hasAccessCode ? t("participants.rotateCode") : t("participants.issueCode")}
              </button>
            </Form>
          )}
          {errors?.form ? <p className="field-error">{t(errors.form)}</p> : null}
        </section>

        <section className="card" aria-labelledby="chain-title">
          <h2 id="chain-title">{t("participants.chain")}</h2>
          <p>
            {t("participants.referralType")}: {t(`referral.${p.referral_type}`)}
            {p.referral_note ? `（${p.referral_note}）` : null}
          </p>
          {chain.up.length > 0 ? (
            <p>
              {t("participants.referredByChain")}:{" "}
              {chain.up.map((r, i) => (
                <span key={r.id}>
                  {i > 0 ? " ← " : null}
                  <Link to={`/participants/${r.id}`}>{r.penName}</Link>
                </span>
              ))}
            </p>
          ) : null}
          <p>
            {t("participants.invited")}:{" "}
            {chain.invited.length === 0
              ? t("common.none")
              : chain.invited.map((r, i) => (
                  <span key={r.id}>
                    {i > 0 ? "、" : null}
                    <Link to={`/participants/${r.id}`}>{r.penName}</Link>
                  </span>
                ))}
          </p>
        </section>

        <section className="card" aria-labelledby="groups-title">
          <h2 id="groups-title">{t("participants.memberships")}</h2>
          {memberships.length === 0 ? (
            <p className="muted">{t("participants.noGroup")}</p>
          ) : (
            <ul className="list-plain">
              {memberships.map((m) => (
                <li key={m.id}>
                  <Link to={`/groups/${m.groupId}`}>{m.groupName}</Link>{" "}
                  <StatusBadge status={m.status} />
                  <br />
                  <span className="muted">
                    {formatDate(m.joined_on, lang)} 〜{" "}
                    {m.left_on ? formatDate(m.left_on, lang) : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {card ? (
        <div className="participant-card-sheet">
          <p className="hint">{t("card.printHint")}</p>
          <ParticipantCard card={card} />
        </div>
      ) : null}

      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">{t("participants.edit")}</h2>
        <ParticipantForm
          values={
            actionData && !actionData.ok
              ? actionData.values
              : {
                  cohortId: p.cohort_id,
                  realName: p.real_name,
                  penName: p.pen_name,
                  contact: p.contact,
                  ageBand: p.age_band,
                  referralType: p.referral_type,
                  referredByParticipantId: p.referred_by_participant_id,
                  referralNote: p.referral_note,
                  consentReadingOn: p.consent_reading_on,
                  consentDigitisingOn: p.consent_digitising_on,
                  consentSeedsOn: p.consent_seeds_on,
                  withdrawnOn: p.withdrawn_on,
                }
          }
          cohorts={cohorts}
          referrers={referrers}
          errors={errors}
          submitLabel={t("common.save")}
          showWithdrawn
        />
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.participant");

export function ErrorBoundary() {
  return <ErrorPage />;
}
