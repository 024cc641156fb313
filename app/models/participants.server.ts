import { z } from "zod";
import type { Participant } from "../../db/schema";
import { AGE_BANDS, REFERRAL_TYPES } from "./constants";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb } from "~/utils/db.server";
import { containsText } from "~/utils/sql.server";
import {
  DomainError,
  requiredId,
  optionalId,
  optionalDate,
  optionalText,
  requiredText,
} from "~/utils/forms.server";
import {
  generateAccessCode,
  getDummyHash,
  hashSecret,
  parseAccessCode,
  verifySecret,
} from "~/utils/password.server";
import { isKnownAddress, releaseAttempt, reserveAttempt } from "~/utils/throttle.server";
import { markSeedsOfAuthorForCheck } from "./seeds.server";

export const ParticipantSchema = z
  .object({
    cohortId: requiredId(),
    realName: requiredText(60),
    penName: requiredText(30),
    contact: optionalText(200),
    ageBand: z.enum(AGE_BANDS, { error: "error.required" }),
    referralType: z.enum(REFERRAL_TYPES, { error: "error.required" }),
    referredByParticipantId: optionalId(),
    referralNote: optionalText(200).transform((v) => v ?? ""),
    consentReadingOn: optionalDate(),
    consentDigitisingOn: optionalDate(),
    consentSeedsOn: optionalDate(),
    withdrawnOn: optionalDate(),
  })
  .refine((v) => v.referralType !== "participant" || v.referredByParticipantId !== null, {
    message: "error.referrerRequired",
    path: ["referredByParticipantId"],
  });

export type ParticipantInput = z.output<typeof ParticipantSchema>;

export interface ParticipantListItem {
  id: number;
  penName: string;
  realName: string;
  ageBand: string;
  cohortId: number;
  cohortName: string;
  groupId: number | null;
  groupName: string | null;
  withdrawnOn: string | null;
  hasAccessCode: boolean;
}

export async function listParticipants(options: {
  cohortId?: number | null;
  q?: string | null;
}): Promise<ParticipantListItem[]> {
  let query = getDb()
    .selectFrom("participant as p")
    .innerJoin("cohort as c", "c.id", "p.cohort_id")
    .leftJoin("group_member as m", (join) =>
      join.onRef("m.participant_id", "=", "p.id").on("m.left_on", "is", null),
    )
    .leftJoin("diary_group as g", "g.id", "m.group_id")
    .select([
      "p.id",
      "p.pen_name",
      "p.real_name",
      "p.age_band",
      "p.cohort_id",
      "c.name as cohort_name",
      "g.id as group_id",
      "g.name as group_name",
      "p.withdrawn_on",
      "p.access_code_selector",
    ])
    // Deleted on request: only an empty placeholder is left (participant-rights model).
    .where("p.deleted_at", "is", null);
  if (options.cohortId) query = query.where("p.cohort_id", "=", options.cohortId);
  const q = options.q?.trim();
  if (q) {
    query = query.where((eb) =>
      eb.or([containsText("p.pen_name", q), containsText("p.real_name", q)]),
    );
  }
  const rows = await query
    .orderBy("c.starts_on", "desc")
    .orderBy("p.pen_name")
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    penName: r.pen_name,
    realName: r.real_name,
    ageBand: r.age_band,
    cohortId: r.cohort_id,
    cohortName: r.cohort_name,
    groupId: r.group_id,
    groupName: r.group_name,
    withdrawnOn: r.withdrawn_on,
    hasAccessCode: r.access_code_selector !== null,
  }));
}

export async function getParticipant(id: number): Promise<Participant | undefined> {
  return getDb().selectFrom("participant").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface PersonRef {
  id: number;
  penName: string;
}

/** Who referred whom: the chain upwards to the first participant, and the people this one invited. */
export async function getReferralChain(
  id: number,
): Promise<{ up: PersonRef[]; invited: PersonRef[] }> {
  const db = getDb();
  const up: PersonRef[] = [];
  const seen = new Set([id]);
  let current = await getParticipant(id);
  while (current?.referred_by_participant_id && !seen.has(current.referred_by_participant_id)) {
    seen.add(current.referred_by_participant_id);
    current = await getParticipant(current.referred_by_participant_id);
    if (current) up.push({ id: current.id, penName: current.pen_name });
  }
  const invited = await db
    .selectFrom("participant")
    .select(["id", "pen_name"])
    .where("referred_by_participant_id", "=", id)
    .orderBy("id")
    .execute();
  return { up, invited: invited.map((r) => ({ id: r.id, penName: r.pen_name })) };
}

export async function listReferrerOptions(
  exceptId?: number,
): Promise<(PersonRef & { cohortName: string })[]> {
  let query = getDb()
    .selectFrom("participant as p")
    .innerJoin("cohort as c", "c.id", "p.cohort_id")
    .select(["p.id", "p.pen_name", "c.name as cohort_name"])
    .where("p.deleted_at", "is", null);
  if (exceptId) query = query.where("p.id", "!=", exceptId);
  const rows = await query.orderBy("c.starts_on", "desc").orderBy("p.pen_name").execute();
  return rows.map((r) => ({ id: r.id, penName: r.pen_name, cohortName: r.cohort_name }));
}

async function checkReferences(input: ParticipantInput, selfId?: number) {
  const db = getDb();
  const cohort = await db
    .selectFrom("cohort")
    .select("id")
    .where("id", "=", input.cohortId)
    .executeTakeFirst();
  if (!cohort) throw new DomainError("error.required", "cohortId");
  if (input.referralType !== "participant") return null;
  const referrer = input.referredByParticipantId;
  if (referrer === null) return null;
  if (referrer === selfId) throw new DomainError("error.referralCycle", "referredByParticipantId");
  const exists = await getParticipant(referrer);
  if (!exists) throw new DomainError("error.referrerRequired", "referredByParticipantId");
  if (selfId) {
    // Walk up from the proposed referrer: reaching this participant would make a loop.
    const seen = new Set<number>();
    let cursor: number | null = referrer;
    while (cursor !== null && !seen.has(cursor)) {
      if (cursor === selfId)
        throw new DomainError("error.referralCycle", "referredByParticipantId");
      seen.add(cursor);
      cursor = (await getParticipant(cursor))?.referred_by_participant_id ?? null;
    }
  }
  return referrer;
}

function toRow(input: ParticipantInput, referrer: number | null) {
  return {
    cohort_id: input.cohortId,
    real_name: input.realName,
    pen_name: input.penName,
    contact: input.contact,
    age_band: input.ageBand,
    referral_type: input.referralType,
    referred_by_participant_id: referrer,
    referral_note: input.referralNote,
    consent_reading_on: input.consentReadingOn,
    consent_digitising_on: input.consentDigitisingOn,
    consent_seeds_on: input.consentSeedsOn,
    withdrawn_on: input.withdrawnOn,
  };
}

export async function createParticipant(
  input: ParticipantInput,
  by: { actor: Actor; ip?: string },
): Promise<number> {
  const referrer = await checkReferences(input);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const { id } = await trx
        .insertInto("participant")
        .values(toRow(input, referrer))
        .returning("id")
        .executeTakeFirstOrThrow();
      // The audit detail never contains the real name or contact.
      await writeAudit(trx, {
        ...by,
        action: "participant.create",
        entityType: "participant",
        entityId: id,
        detail: { cohortId: input.cohortId, referralType: input.referralType },
      });
      return id;
    });
}

/**
 * A withdrawn participant loses their access code and sessions at once; if they are still in a
 * group, staff replace them there (the membership history is kept).
 */
export async function updateParticipant(
  id: number,
  input: ParticipantInput,
  by: { actor: Actor; ip?: string },
) {
  const referrer = await checkReferences(input, id);
  const before = await getParticipant(id);
  if (!before) throw new DomainError("error.notFound");
  const withdrawing = input.withdrawnOn !== null && before.withdrawn_on === null;
  if (before.cohort_id !== input.cohortId) {
    const member = await getDb()
      .selectFrom("group_member")
      .select("id")
      .where("participant_id", "=", id)
      .where("left_on", "is", null)
      .executeTakeFirst();
    if (member) throw new DomainError("error.cohortChangeInGroup", "cohortId");
  }
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx
        .updateTable("participant")
        .set({
          ...toRow(input, referrer),
          ...(withdrawing ? { access_code_selector: null, access_code_hash: null } : {}),
          updated_at: new Date().toISOString(),
        })
        .where("id", "=", id)
        .execute();
      if (withdrawing) await trx.deleteFrom("session").where("participant_id", "=", id).execute();
      // Consent to anonymised seeds withdrawn: resources resting on this writer's words need a look.
      if (before.consent_seeds_on !== null && input.consentSeedsOn === null)
        await markSeedsOfAuthorForCheck(trx, id);
      const changed = (
        Object.keys(toRow(input, referrer)) as (keyof ReturnType<typeof toRow>)[]
      ).filter((k) => before[k] !== toRow(input, referrer)[k]);
      await writeAudit(trx, {
        ...by,
        action: withdrawing ? "participant.withdraw" : "participant.update",
        entityType: "participant",
        entityId: id,
        detail: { changed },
      });
    });
}

/**
 * Issues a new access code (rotating any old one, and ending the sessions opened with it).
 * The code is returned once, to be shown to staff; only its hash is kept.
 */
export async function issueAccessCode(
  id: number,
  by: { actor: Actor; ip?: string },
): Promise<string> {
  const participant = await getParticipant(id);
  if (!participant) throw new DomainError("error.notFound");
  if (participant.withdrawn_on) throw new DomainError("error.withdrawnNoCode");
  const db = getDb();
  for (let attempt = 0; attempt < 5; attempt++) {
    const { code, selector, verifier } = generateAccessCode();
    const taken = await db
      .selectFrom("participant")
      .select("id")
      .where("access_code_selector", "=", selector)
      .executeTakeFirst();
    if (taken) continue;
    const hash = await hashSecret(verifier);
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("participant")
        .set({
          access_code_selector: selector,
          access_code_hash: hash,
          access_code_issued_at: new Date().toISOString(),
        })
        .where("id", "=", id)
        .execute();
      await trx.deleteFrom("session").where("participant_id", "=", id).execute();
      await writeAudit(trx, {
        ...by,
        action: participant.access_code_selector
          ? "participant.access_code_rotate"
          : "participant.access_code_issue",
        entityType: "participant",
        entityId: id,
      });
    });
    return code;
  }
  throw new Error("Could not find a free access-code selector");
}

export type ParticipantLoginResult =
  { status: "ok"; participantId: number } | { status: "invalid" } | { status: "throttled" };

export async function authenticateParticipant(
  input: string,
  ip: string,
): Promise<ParticipantLoginResult> {
  const db = getDb();
  const parsed = parseAccessCode(input);
  const participant = parsed
    ? await db
        .selectFrom("participant")
        .select(["id", "access_code_hash"])
        .where("access_code_selector", "=", parsed.selector)
        .where("withdrawn_on", "is", null)
        .executeTakeFirst()
    : undefined;
  const known =
    participant !== undefined &&
    (await isKnownAddress(
      db,
      { action: "participant.login", entityType: "participant", entityId: participant.id },
      ip,
    ));
  const reservation = await reserveAttempt(
    db,
    {
      address: ip,
      code_address: parsed && ip ? `${parsed.selector}\n${ip}` : undefined,
      code: parsed?.selector,
    },
    { exempt: known ? ["code"] : [] },
  );
  if (!reservation) {
    await writeAudit(db, {
      actor: { type: "anonymous" },
      action: "participant.login_throttled",
      entityType: "participant",
      ip,
    });
    return { status: "throttled" };
  }
  const ok = await verifySecret(
    parsed?.verifier ?? "",
    participant?.access_code_hash ?? (await getDummyHash()),
  );
  if (!participant || !ok) {
    await writeAudit(db, {
      actor: { type: "anonymous" },
      action: "participant.login_failed",
      entityType: "participant",
      entityId: participant?.id ?? null,
      ip,
    });
    return { status: "invalid" };
  }
  await releaseAttempt(db, reservation);
  await writeAudit(db, {
    actor: { type: "participant", participantId: participant.id },
    action: "participant.login",
    entityType: "participant",
    entityId: participant.id,
    ip,
  });
  return { status: "ok", participantId: participant.id };
}
