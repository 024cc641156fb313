/**
 * 開示: everything the office holds about one participant, gathered for the disclosure ZIP
 * (decision 025). What is in it: their record and consents, group memberships, the notebook
 * handoffs to or from them, their sessions, every page they wrote with its derived images (the
 * viewing image and the straightened crop, both without EXIF/GPS) and every transcription
 * version, their hide requests, the seeds taken from their pages, and the audit entries about
 * them, by them, or about their pages and seeds. What is not: original photos (the same picture
 * with the camera's metadata), the access code's hash, 見守り flags (staff's notes of concern,
 * never shown to participants), other writers' pages.
 *
 * This module reads; the route renders the index and packs the archive.
 */
import { writeAudit, type Actor, type AuditAction } from "~/utils/audit.server";
import { getDb } from "~/utils/db.server";
import { parseLines } from "~/utils/transcript";
import { readStoredFile } from "~/storage/page-files.server";
import type { PageStatus, ReferralType, SeedCategory, SeedStatus } from "../../db/schema";

export interface DisclosureVersion {
  version: number;
  source: "ocr" | "staff";
  text: string;
  lines: string[];
  createdAt: string;
  createdBy: string | null;
  restoredFrom: number | null;
  approved: boolean;
}

export interface DisclosurePage {
  id: number;
  groupName: string;
  notebookLabel: string;
  pageNumber: number;
  entryDate: string | null;
  uploadedOn: string | null;
  createdAt: string;
  status: PageStatus;
  approvedAt: string | null;
  hidden: boolean;
  hiddenAt: string | null;
  hideRequestedAt: string | null;
  hideSeenAt: string | null;
  /** File names inside the archive's `images/` folder. */
  images: { view: string | null; crop: string | null };
  versions: DisclosureVersion[];
}

export interface DisclosureSeed {
  id: number;
  pageId: number | null;
  pageNumber: number | null;
  quote: string;
  title: string;
  category: SeedCategory;
  tags: string[];
  area: string;
  note: string;
  status: SeedStatus;
  resourceName: string | null;
  proposedAt: string;
  decidedAt: string | null;
}

export interface DisclosureAuditEntry {
  id: number;
  at: string;
  action: AuditAction | string;
  /** 本人 (the participant), a staff member's display name, or the system. */
  actor: { type: Actor["type"]; name: string | null };
  entityType: string;
  entityId: string | null;
  detail: unknown;
  /** Only on the participant's own entries (their address when they signed in). */
  ip: string | null;
}

export interface Disclosure {
  generatedAt: string;
  generatedBy: string;
  participant: {
    id: number;
    penName: string;
    realName: string;
    contact: string | null;
    ageBand: string;
    cohortName: string;
    referralType: ReferralType;
    referredBy: string | null;
    referralNote: string;
    consentReadingOn: string | null;
    consentDigitisingOn: string | null;
    consentSeedsOn: string | null;
    withdrawnOn: string | null;
    accessCodeIssuedAt: string | null;
    pagesHiddenAt: string | null;
    createdAt: string;
    updatedAt: string;
  };
  memberships: Array<{
    groupName: string;
    cohortName: string;
    roomName: string;
    position: number;
    joinedOn: string;
    leftOn: string | null;
    leftReason: string | null;
  }>;
  handoffs: Array<{
    handedAt: string;
    groupName: string;
    notebookLabel: string;
    /** Pen names; null: the health room. */
    from: string | null;
    to: string | null;
    roomName: string;
    dueOn: string | null;
    note: string;
    recordedBy: string;
  }>;
  sessions: Array<{
    createdAt: string;
    lastSeenAt: string;
    expiresAt: string;
    ip: string;
    userAgent: string;
  }>;
  pages: DisclosurePage[];
  seeds: DisclosureSeed[];
  audit: DisclosureAuditEntry[];
}

const imageName = (page: { page_number: number; id: number }, kind: string) =>
  `page-${String(page.page_number).padStart(3, "0")}-${page.id}-${kind}.jpg`;

/** Everything held about the participant, or null when there is no such (living) participant. */
export async function getDisclosure(
  participantId: number,
  staffId: number,
): Promise<Disclosure | null> {
  const db = getDb();
  const p = await db
    .selectFrom("participant as p")
    .innerJoin("cohort as c", "c.id", "p.cohort_id")
    .leftJoin("participant as r", "r.id", "p.referred_by_participant_id")
    .selectAll("p")
    .select(["c.name as cohort_name", "r.pen_name as referrer_pen_name"])
    .where("p.id", "=", participantId)
    .where("p.deleted_at", "is", null)
    .executeTakeFirst();
  if (!p) return null;
  const staff = await db
    .selectFrom("staff_user")
    .select("display_name")
    .where("id", "=", staffId)
    .executeTakeFirst();

  const memberships = await db
    .selectFrom("group_member as m")
    .innerJoin("diary_group as g", "g.id", "m.group_id")
    .innerJoin("cohort as c", "c.id", "g.cohort_id")
    .innerJoin("health_room as h", "h.id", "g.health_room_id")
    .select([
      "g.name as group_name",
      "c.name as cohort_name",
      "h.name as room_name",
      "m.position",
      "m.joined_on",
      "m.left_on",
      "m.left_reason",
    ])
    .where("m.participant_id", "=", participantId)
    .orderBy("m.joined_on")
    .orderBy("m.id")
    .execute();

  const handoffs = await db
    .selectFrom("handoff as h")
    .innerJoin("notebook as n", "n.id", "h.notebook_id")
    .innerJoin("diary_group as g", "g.id", "n.group_id")
    .innerJoin("health_room as room", "room.id", "h.health_room_id")
    .innerJoin("staff_user as s", "s.id", "h.recorded_by_staff_id")
    .leftJoin("participant as f", "f.id", "h.from_participant_id")
    .leftJoin("participant as t", "t.id", "h.to_participant_id")
    .select([
      "h.handed_at",
      "g.name as group_name",
      "n.label",
      "f.pen_name as from_name",
      "t.pen_name as to_name",
      "room.name as room_name",
      "h.due_on",
      "h.note",
      "s.display_name as recorded_by",
    ])
    .where((eb) =>
      eb.or([
        eb("h.from_participant_id", "=", participantId),
        eb("h.to_participant_id", "=", participantId),
      ]),
    )
    .orderBy("h.handed_at")
    .orderBy("h.id")
    .execute();

  const sessions = await db
    .selectFrom("session")
    .select(["created_at", "last_seen_at", "expires_at", "ip", "user_agent"])
    .where("participant_id", "=", participantId)
    .orderBy("created_at")
    .execute();

  const pageRows = await db
    .selectFrom("page as pg")
    .innerJoin("diary_group as g", "g.id", "pg.group_id")
    .innerJoin("notebook as n", "n.id", "pg.notebook_id")
    .select([
      "pg.id",
      "g.name as group_name",
      "n.label",
      "pg.page_number",
      "pg.entry_date",
      "pg.uploaded_on",
      "pg.created_at",
      "pg.status",
      "pg.approved_at",
      "pg.approved_version",
      "pg.hidden",
      "pg.hidden_at",
      "pg.hide_requested_at",
      "pg.hide_seen_at",
      "pg.viewing_path",
      "pg.crop_path",
    ])
    .where("pg.author_participant_id", "=", participantId)
    // The notebook's order: group by group, notebook by notebook, page by page.
    .orderBy("g.id")
    .orderBy("n.id")
    .orderBy("pg.page_number")
    .orderBy("pg.id")
    .execute();
  const pageIds = pageRows.map((r) => r.id);

  const versionRows =
    pageIds.length === 0
      ? []
      : await db
          .selectFrom("transcription as t")
          .leftJoin("staff_user as s", "s.id", "t.created_by_staff_id")
          .select([
            "t.page_id",
            "t.version",
            "t.source",
            "t.text",
            "t.lines_json",
            "t.created_at",
            "t.restored_from",
            "s.display_name",
          ])
          .where("t.page_id", "in", pageIds)
          .orderBy("t.page_id")
          .orderBy("t.version")
          .execute();

  const pages: DisclosurePage[] = pageRows.map((r) => ({
    id: r.id,
    groupName: r.group_name,
    notebookLabel: r.label,
    pageNumber: r.page_number,
    entryDate: r.entry_date,
    uploadedOn: r.uploaded_on,
    createdAt: r.created_at,
    status: r.status,
    approvedAt: r.approved_at,
    hidden: r.hidden === 1,
    hiddenAt: r.hidden_at,
    hideRequestedAt: r.hide_requested_at,
    hideSeenAt: r.hide_seen_at,
    images: {
      view: r.viewing_path ? imageName(r, "photo") : null,
      crop: r.crop_path ? imageName(r, "page") : null,
    },
    versions: versionRows
      .filter((v) => v.page_id === r.id)
      .map((v) => ({
        version: v.version,
        source: v.source,
        text: v.text,
        lines: parseLines(v.lines_json).map((l) => l.text),
        createdAt: v.created_at,
        createdBy: v.display_name,
        restoredFrom: v.restored_from,
        approved: r.approved_version === v.version,
      })),
  }));

  const seedRows =
    pageIds.length === 0
      ? []
      : await db
          .selectFrom("seed as s")
          .innerJoin("page as pg", "pg.id", "s.page_id")
          .leftJoin("resource as r", "r.id", "s.resource_id")
          .select([
            "s.id",
            "s.page_id",
            "pg.page_number",
            "s.quote",
            "s.title",
            "s.category",
            "s.tags_json",
            "s.area",
            "s.note",
            "s.status",
            "r.name as resource_name",
            "s.proposed_at",
            "s.decided_at",
          ])
          .where("s.page_id", "in", pageIds)
          .orderBy("s.page_id")
          .orderBy("s.start_cp")
          .execute();
  const seeds: DisclosureSeed[] = seedRows.map((s) => ({
    id: s.id,
    pageId: s.page_id,
    pageNumber: s.page_number,
    quote: s.quote,
    title: s.title,
    category: s.category,
    tags: JSON.parse(s.tags_json) as string[],
    area: s.area,
    note: s.note,
    status: s.status,
    resourceName: s.resource_name,
    proposedAt: s.proposed_at,
    decidedAt: s.decided_at,
  }));

  const seedIds = seeds.map((s) => String(s.id));
  const auditRows = await db
    .selectFrom("audit_log as l")
    .leftJoin("staff_user as s", "s.id", "l.actor_staff_id")
    .select([
      "l.id",
      "l.at",
      "l.action",
      "l.actor_type",
      "l.actor_participant_id",
      "s.display_name",
      "l.entity_type",
      "l.entity_id",
      "l.detail",
      "l.ip",
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb("l.entity_type", "=", "participant"), eb("l.entity_id", "=", String(p.id))]),
        eb("l.actor_participant_id", "=", p.id),
        ...(pageIds.length
          ? [
              eb.and([
                eb("l.entity_type", "=", "page"),
                eb("l.entity_id", "in", pageIds.map(String)),
              ]),
            ]
          : []),
        ...(seedIds.length
          ? [eb.and([eb("l.entity_type", "=", "seed"), eb("l.entity_id", "in", seedIds)])]
          : []),
      ]),
    )
    .orderBy("l.id")
    .execute();
  const audit: DisclosureAuditEntry[] = auditRows.map((a) => {
    const self = a.actor_participant_id === p.id;
    let detail: unknown = {};
    try {
      detail = JSON.parse(a.detail);
    } catch {
      detail = {};
    }
    return {
      id: a.id,
      at: a.at,
      action: a.action,
      actor: {
        type: a.actor_type,
        name: self ? p.pen_name : a.actor_type === "staff" ? a.display_name : null,
      },
      entityType: a.entity_type,
      entityId: a.entity_id,
      detail,
      ip: self ? a.ip : null,
    };
  });

  return {
    generatedAt: new Date().toISOString(),
    generatedBy: staff?.display_name ?? "",
    participant: {
      id: p.id,
      penName: p.pen_name,
      realName: p.real_name,
      contact: p.contact,
      ageBand: p.age_band,
      cohortName: p.cohort_name,
      referralType: p.referral_type,
      referredBy: p.referrer_pen_name,
      referralNote: p.referral_note,
      consentReadingOn: p.consent_reading_on,
      consentDigitisingOn: p.consent_digitising_on,
      consentSeedsOn: p.consent_seeds_on,
      withdrawnOn: p.withdrawn_on,
      accessCodeIssuedAt: p.access_code_issued_at,
      pagesHiddenAt: p.pages_hidden_at,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    },
    memberships: memberships.map((m) => ({
      groupName: m.group_name,
      cohortName: m.cohort_name,
      roomName: m.room_name,
      position: m.position,
      joinedOn: m.joined_on,
      leftOn: m.left_on,
      leftReason: m.left_reason,
    })),
    handoffs: handoffs.map((h) => ({
      handedAt: h.handed_at,
      groupName: h.group_name,
      notebookLabel: h.label,
      from: h.from_name,
      to: h.to_name,
      roomName: h.room_name,
      dueOn: h.due_on,
      note: h.note,
      recordedBy: h.recorded_by,
    })),
    sessions: sessions.map((s) => ({
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at,
      expiresAt: s.expires_at,
      ip: s.ip,
      userAgent: s.user_agent,
    })),
    pages,
    seeds,
    audit,
  };
}

/**
 * The derived images of the disclosed pages, one at a time, named as the index refers to them.
 * A file missing from the store is left out.
 */
export async function* disclosureImages(
  participantId: number,
  disclosure: Disclosure,
): AsyncGenerator<{ name: string; data: Buffer }> {
  const rows = await getDb()
    .selectFrom("page")
    .select(["id", "viewing_path", "crop_path"])
    .where("author_participant_id", "=", participantId)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const page of disclosure.pages) {
    const row = byId.get(page.id);
    if (!row) continue;
    for (const [name, file] of [
      [page.images.view, row.viewing_path],
      [page.images.crop, row.crop_path],
    ] as const) {
      if (!name || !file) continue;
      const data = await readStoredFile(file);
      if (data) yield { name, data };
    }
  }
}

/** The disclosure as staff made it: counts only, never the content. */
export async function recordDisclosure(
  participantId: number,
  disclosure: Disclosure,
  by: { actor: Actor; ip?: string },
): Promise<void> {
  await writeAudit(getDb(), {
    ...by,
    action: "participant.disclose",
    entityType: "participant",
    entityId: participantId,
    detail: {
      pages: disclosure.pages.length,
      versions: disclosure.pages.reduce((n, pg) => n + pg.versions.length, 0),
      images: disclosure.pages.reduce(
        (n, pg) => n + (pg.images.view ? 1 : 0) + (pg.images.crop ? 1 : 0),
        0,
      ),
      seeds: disclosure.seeds.length,
      handoffs: disclosure.handoffs.length,
      memberships: disclosure.memberships.length,
      auditEntries: disclosure.audit.length,
    },
  });
}
