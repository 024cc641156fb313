import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Field, Notice } from "~/components/field";
import { ParticipantCard, type ParticipantCardData } from "~/components/participant-card";
import { ParticipantForm } from "~/components/participant-form";
import { PrintButton } from "~/components/print-button";
import { StatusBadge } from "~/components/status-badge";
import type { MessageKey } from "~/i18n/i18n";
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
import {
  eraseParticipant,
  getErasurePreview,
  hideAllPagesOf,
  showAllPagesOf,
} from "~/models/participant-rights.server";
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
  // Deleted on request: only the placeholder is left, and this page says so.
  if (participant.deleted_at)
    return { kind: "deleted" as const, id, deletedAt: participant.deleted_at };
  const confirmDelete = new URL(request.url).searchParams.get("delete") === "confirm";
  const [cohorts, referrers, chain, memberships, erasure] = await Promise.all([
    listCohorts(),
    listReferrerOptions(id),
    getReferralChain(id),
    listMembershipsOfParticipant(id),
    confirmDelete ? getErasurePreview(id) : null,
  ]);
  const { access_code_hash: _hash, access_code_selector: selector, ...visible } = participant;
  return {
    kind: "living" as const,
    participant: { ...visible, hasAccessCode: selector !== null },
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
    referrers,
    chain,
    memberships,
    erasure,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip } = await requireStaff(request);
  const id = requireIdParam(params.participantId);
  const existing = await getParticipant(id);
  if (!existing || existing.deleted_at) notFound();
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "issueCode") {
    const result = await runMutation(() => issueAccessCode(id, { actor, ip }));
    if (!result.ok) return result.response;
    const card = await participantCard(request, id, result.value);
    return data({ ok: true as const, code: result.value, card, saved: false, notice: null });
  }
  if (intent === "hidePages" || intent === "showPages") {
    const hide = intent === "hidePages";
    const result = await runMutation(() =>
      hide ? hideAllPagesOf(id, { actor, ip }) : showAllPagesOf(id, { actor, ip }),
    );
    if (!result.ok) return result.response;
    const notice = hide ? ("rights.pagesHidden" as const) : ("rights.pagesShown" as const);
    return data({ ok: true as const, code: null, card: null, saved: false, notice });
  }
  if (intent === "delete") {
    const typed = form.get("penName");
    const result = await runMutation(
      () => eraseParticipant(id, typeof typed === "string" ? typed : "", { actor, ip }),
      form,
    );
    if (!result.ok) return result.response;
    return redirect(
      `/participants/${id}?deleted=1&pages=${result.value.pages}&files=${result.value.files}`,
    );
  }
  const parsed = parseForm(ParticipantSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => updateParticipant(id, parsed.data, { actor, ip }), form);
  if (!result.ok) return result.response;
  return data({ ok: true as const, code: null, card: null, saved: true, notice: null });
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

export default function ParticipantPage() {
  const loaderData = useLoaderData<typeof loader>();
  if (loaderData.kind === "deleted") return <DeletedParticipant deletedAt={loaderData.deletedAt} />;
  return <ParticipantDetail {...loaderData} />;
}

/** What is left of a participant deleted on request: a placeholder, and the date. */
function DeletedParticipant({ deletedAt }: { deletedAt: string }) {
  const t = useT();
  const lang = useLang();
  const [params] = useSearchParams();
  return (
    <div>
      <p>
        <Link to="/participants">← {t("participants.title")}</Link>
      </p>
      <h1>{t("rights.deletedParticipant")}</h1>
      {params.get("deleted") ? (
        <Notice>
          {t("rights.deleted", {
            pages: Number(params.get("pages") ?? 0),
            files: Number(params.get("files") ?? 0),
          })}
        </Notice>
      ) : null}
      <p>{t("rights.deletedOn", { at: formatDateTime(deletedAt, lang) })}</p>
    </div>
  );
}

function ParticipantDetail({
  participant: p,
  cohorts,
  referrers,
  chain,
  memberships,
  erasure,
}: Extract<SerializeFrom<typeof loader>, { kind: "living" }>) {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang();
  // A refused deletion answers for its own form (RightsSection), not for the edit form.
  const refused =
    actionData && !actionData.ok && actionData.intent !== "delete" ? actionData : null;
  const errors = refused ? refused.errors : undefined;
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
      {actionData?.ok && actionData.notice ? <Notice>{t(actionData.notice)}</Notice> : null}

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

      <RightsSection
        id={p.id}
        penName={p.pen_name}
        pagesHiddenAt={p.pages_hidden_at}
        erasure={erasure}
        deleteError={
          actionData && !actionData.ok && actionData.intent === "delete"
            ? {
                field: actionData.errors.penName ? "penName" : "form",
                key: actionData.errors.penName ?? actionData.errors.form ?? "error.invalid",
                params: actionData.params ?? undefined,
              }
            : null
        }
      />

      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">{t("participants.edit")}</h2>
        <ParticipantForm
          values={
            refused
              ? refused.values
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

type ErasurePreview = NonNullable<
  Extract<SerializeFrom<typeof loader>, { kind: "living" }>["erasure"]
>;

/**
 * 開示・利用停止・消去 (decisions 025, 026). Deletion is confirmed twice: the link opens the
 * confirmation with what goes and what stays, then the pen name must be typed.
 */
function RightsSection({
  id,
  penName,
  pagesHiddenAt,
  erasure,
  deleteError,
}: {
  id: number;
  penName: string;
  pagesHiddenAt: string | null;
  erasure: ErasurePreview | null;
  deleteError: { field: string; key: MessageKey; params?: Record<string, string | number> } | null;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <section className="card" aria-labelledby="rights-title">
      <h2 id="rights-title">{t("rights.title")}</h2>
      <Form method="post" action={`/participants/${id}/disclosure`} reloadDocument>
        <button type="submit">{t("rights.disclose")}</button>
        <p className="hint">{t("rights.discloseHint")}</p>
      </Form>
      <p data-testid="pages-hidden-state">
        {pagesHiddenAt
          ? t("rights.pagesHiddenSince", { at: formatDateTime(pagesHiddenAt, lang) })
          : t("rights.pagesShownNow")}
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value={pagesHiddenAt ? "showPages" : "hidePages"} />
        <button type="submit">
          {pagesHiddenAt ? t("rights.showPages") : t("rights.hidePages")}
        </button>
      </Form>
      {erasure ? (
        <div className="card" role="region" aria-labelledby="delete-title">
          <h3 id="delete-title">{t("rights.deleteTitle")}</h3>
          <p>{t("rights.deleteIntro")}</p>
          <h4>{t("rights.deleteRemoves")}</h4>
          <ul>
            <li>{t("rights.deleteRemovePages", { pages: erasure.pages })}</li>
            <li>
              {t("rights.deleteRemoveVersions", {
                versions: erasure.versions,
                flags: erasure.watchFlags,
              })}
            </li>
            <li>{t("rights.deleteRemoveSeeds", { seeds: erasure.seeds })}</li>
            <li>{t("rights.deleteRemoveRecord")}</li>
          </ul>
          <h4>{t("rights.deleteKeeps")}</h4>
          <ul>
            <li>{t("rights.deleteKeepResources", { n: erasure.seedsInResources })}</li>
            <li>{t("rights.deleteKeepGroup", { handoffs: erasure.handoffs })}</li>
            <li>{t("rights.deleteKeepAudit")}</li>
          </ul>
          {deleteError?.field === "form" ? (
            <p className="field-error" role="alert">
              {t(deleteError.key, deleteError.params)}
            </p>
          ) : null}
          {erasure.currentGroups.length > 0 ? (
            <p className="field-error">
              {t("rights.deleteBlockedGroup", {
                groups: erasure.currentGroups.map((g) => g.name).join("、"),
              })}
            </p>
          ) : erasure.openWatchFlags > 0 ? (
            <p className="field-error">
              {t("rights.deleteBlockedFlags", { n: erasure.openWatchFlags })}
            </p>
          ) : (
            <Form method="post" action={`/participants/${id}?delete=confirm`}>
              <input type="hidden" name="intent" value="delete" />
              <Field
                label={t("rights.deleteTypeName", { name: penName })}
                name="penName"
                required
                autoComplete="off"
                error={deleteError?.field === "penName" ? deleteError.key : undefined}
              />
              <p>
                <button type="submit" className="button--danger">
                  {t("rights.deleteConfirm")}
                </button>{" "}
                <Link to={`/participants/${id}`}>{t("rights.deleteCancel")}</Link>
              </p>
            </Form>
          )}
        </div>
      ) : (
        <p>
          <Link to={`/participants/${id}?delete=confirm#delete-title`}>
            {t("rights.deleteStart")}
          </Link>
        </p>
      )}
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.participant");

export function ErrorBoundary() {
  return <ErrorPage />;
}
