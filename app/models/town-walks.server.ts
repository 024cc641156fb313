/**
 * Town walks (まち歩き): staff plan a walk through one area to check resources and seeds in the
 * field, print its sheet, and record what they found, one result per stop. Responsible for which
 * stops a walk suggests, their walking order (nearest neighbour from the health room, see
 * ~/utils/route-order) and for turning results into resource changes — verification with
 * how = walk, changed fields, closed or back to 要確認 — each kept in the resource's history with
 * source "walk". Not responsible for the resource row itself (./resources.server) or seed
 * decisions (./seeds.server): a seed stop only records what was found.
 */
import { z } from "zod";
import type { WalkResult } from "../../db/schema";
import type { ResourceStatus, VerifiedHow } from "~/resources/types";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { localDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { DomainError, requiredDate, requiredText } from "~/utils/forms.server";
import { nearestNeighbourOrder } from "~/utils/route-order";
import type { ScheduleRule } from "~/utils/schedule";
import { codePointLength, hasForbiddenCharacters } from "~/utils/text";
import { changeResource, recordVerification, resourceRowForChange } from "./resources.server";

type StaffBy = { actor: Actor & { type: "staff" }; ip?: string };

export const WALK_RESULTS = [
  "verified",
  "changed",
  "closed",
  "not_found",
] as const satisfies readonly WalkResult[];

/** A resource not verified for this many months (or never) is suggested for a walk. */
export const WALK_STALE_MONTHS = 6;
const MAX_STOPS = 60;

function monthsAgo(months: number) {
  const d = new Date(`${localDate()}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Planning.

export type CandidateReason = "to_verify" | "never_verified" | "stale" | "no_location";

export interface WalkCandidate {
  /** "r:<resource id>" or "s:<seed id>": the value of the plan form's checkbox. */
  key: string;
  kind: "resource" | "seed";
  id: number;
  name: string;
  address: string;
  status: ResourceStatus | null;
  verifiedOn: string | null;
  located: boolean;
  /** For a seed, the resource it was accepted as or merged into. */
  resourceName: string | null;
  reason: CandidateReason | null;
  /** Ticked by default. */
  selected: boolean;
}

/**
 * What a walk through `area` could check: the area's resources that are not closed, ticked when
 * 要確認 or not verified for six months; and the accepted or merged seeds of the area whose
 * resource has no location yet, ticked unless their resource is already ticked (one visit
 * checks both).
 */
export async function candidatesForWalk(area: string): Promise<WalkCandidate[]> {
  const db = getDb();
  const since = monthsAgo(WALK_STALE_MONTHS);
  const [resources, seeds] = await Promise.all([
    db
      .selectFrom("resource")
      .select(["id", "name", "address", "status", "verified_on", "lat", "lng"])
      .where("area", "=", area)
      .where("status", "!=", "closed")
      .orderBy("name")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("seed as s")
      .leftJoin("resource as r", "r.id", "s.resource_id")
      .select(["s.id", "s.title", "s.resource_id", "r.name as resourceName", "r.address"])
      .where("s.status", "in", ["accepted", "merged"])
      .where((eb) => eb.or([eb("s.area", "=", area), eb("r.area", "=", area)]))
      .where((eb) => eb.or([eb("r.id", "is", null), eb("r.lat", "is", null)]))
      .where((eb) => eb.or([eb("r.status", "is", null), eb("r.status", "!=", "closed")]))
      .orderBy("s.title")
      .orderBy("s.id")
      .execute(),
  ]);
  const ticked = new Set<number>();
  const out: WalkCandidate[] = resources.map((r) => {
    const reason: CandidateReason | null =
      r.status === "to_verify"
        ? "to_verify"
        : r.status !== "active"
          ? null
          : r.verified_on === null
            ? "never_verified"
            : r.verified_on < since
              ? "stale"
              : null;
    if (reason) ticked.add(r.id);
    return {
      key: `r:${r.id}`,
      kind: "resource",
      id: r.id,
      name: r.name,
      address: r.address,
      status: r.status,
      verifiedOn: r.verified_on,
      located: r.lat !== null && r.lng !== null,
      resourceName: null,
      reason,
      selected: reason !== null,
    };
  });
  for (const s of seeds)
    out.push({
      key: `s:${s.id}`,
      kind: "seed",
      id: s.id,
      name: s.title,
      address: s.address ?? "",
      status: null,
      verifiedOn: null,
      located: false,
      resourceName: s.resourceName,
      reason: "no_location",
      selected: s.resource_id === null || !ticked.has(s.resource_id),
    });
  return out;
}

export type WalkStopTarget = { resourceId: number } | { seedId: number };

export interface PlanWalkInput {
  area: string;
  healthRoomId: number | null;
  plannedOn: string;
  stops: WalkStopTarget[];
}

/** The plan form: area, health room, date and the ticked candidates ("r:12", "s:5"). */
export const PlanWalkSchema = z.object({
  area: requiredText(100),
  healthRoomId: z
    .string({ error: "walks.chooseRoom" })
    .regex(/^[1-9][0-9]*$/, "walks.chooseRoom")
    .transform(Number),
  plannedOn: requiredDate(),
  stop: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v, ctx) => {
      const keys = v === undefined ? [] : Array.isArray(v) ? v : [v];
      const stops: WalkStopTarget[] = [];
      for (const key of keys) {
        const m = /^([rs]):([1-9][0-9]{0,15})$/.exec(key);
        if (!m) {
          ctx.addIssue({ code: "custom", message: "error.invalid" });
          return z.NEVER;
        }
        stops.push(m[1] === "r" ? { resourceId: Number(m[2]) } : { seedId: Number(m[2]) });
      }
      if (stops.length === 0) {
        ctx.addIssue({ code: "custom", message: "walks.noStops" });
        return z.NEVER;
      }
      return stops;
    }),
});

/**
 * Plans a walk: checks every stop exists (a resource, or an accepted or merged seed) and is
 * listed once, and stores them in walking order from the health room.
 */
export async function planWalk(input: PlanWalkInput, by: StaffBy): Promise<number> {
  const area = input.area.trim();
  if (!area || codePointLength(area) > 100) throw new DomainError("error.required", "area");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.plannedOn))
    throw new DomainError("error.date", "plannedOn");
  if (input.stops.length === 0) throw new DomainError("walks.noStops", "stop");
  if (input.stops.length > MAX_STOPS)
    throw new DomainError("walks.tooManyStops", "stop", { max: MAX_STOPS });
  const keys = input.stops.map((s) => ("resourceId" in s ? `r:${s.resourceId}` : `s:${s.seedId}`));
  if (new Set(keys).size !== keys.length) throw new DomainError("walks.duplicateStop", "stop");

  return getDb()
    .transaction()
    .execute(async (trx) => {
      let start: { lat: number; lng: number } | null = null;
      if (input.healthRoomId !== null) {
        const room = await trx
          .selectFrom("health_room")
          .select(["lat", "lng"])
          .where("id", "=", input.healthRoomId)
          .executeTakeFirst();
        if (!room) throw new DomainError("walks.chooseRoom", "healthRoomId");
        if (room.lat !== null && room.lng !== null) start = { lat: room.lat, lng: room.lng };
      }
      const resourceIds = input.stops.flatMap((s) => ("resourceId" in s ? [s.resourceId] : []));
      const seedIds = input.stops.flatMap((s) => ("seedId" in s ? [s.seedId] : []));
      const resources = resourceIds.length
        ? await trx
            .selectFrom("resource")
            .select(["id", "name", "lat", "lng"])
            .where("id", "in", resourceIds)
            .execute()
        : [];
      const seeds = seedIds.length
        ? await trx
            .selectFrom("seed as s")
            .leftJoin("resource as r", "r.id", "s.resource_id")
            .select(["s.id", "s.title", "r.lat", "r.lng"])
            .where("s.id", "in", seedIds)
            .where("s.status", "in", ["accepted", "merged"])
            .execute()
        : [];
      if (resources.length !== resourceIds.length || seeds.length !== seedIds.length)
        throw new DomainError("walks.unknownStop", "stop");
      const ordered = nearestNeighbourOrder(start, [
        ...resources.map((r) => ({ ...r, resourceId: r.id, seedId: null })),
        ...seeds.map((s) => ({ ...s, name: s.title, resourceId: null, seedId: s.id })),
      ]);
      const { id } = await trx
        .insertInto("town_walk")
        .values({
          area,
          health_room_id: input.healthRoomId,
          planned_on: input.plannedOn,
          created_by_staff_id: by.actor.staffId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("town_walk_stop")
        .values(
          ordered.map((s, i) => ({
            walk_id: id,
            position: i + 1,
            resource_id: s.resourceId,
            seed_id: s.seedId,
          })),
        )
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "town_walk.create",
        entityType: "town_walk",
        entityId: id,
        detail: { area, stops: ordered.length, plannedOn: input.plannedOn },
      });
      return id;
    });
}

// ---------------------------------------------------------------------------------------------
// Reading.

export interface WalkSummary {
  id: number;
  area: string;
  plannedOn: string;
  status: "planned" | "done";
  roomName: string | null;
  stops: number;
  recorded: number;
}

export async function listWalks(): Promise<WalkSummary[]> {
  const rows = await getDb()
    .selectFrom("town_walk as w")
    .leftJoin("health_room as h", "h.id", "w.health_room_id")
    .select((eb) => [
      "w.id",
      "w.area",
      "w.planned_on",
      "w.status",
      "h.name as roomName",
      eb
        .selectFrom("town_walk_stop as s")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("s.walk_id", "=", "w.id")
        .as("stops"),
      eb
        .selectFrom("town_walk_stop as s")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("s.walk_id", "=", "w.id")
        .where("s.result", "is not", null)
        .as("recorded"),
    ])
    .orderBy("w.planned_on", "desc")
    .orderBy("w.id", "desc")
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    area: r.area,
    plannedOn: r.planned_on,
    status: r.status,
    roomName: r.roomName,
    stops: Number(r.stops ?? 0),
    recorded: Number(r.recorded ?? 0),
  }));
}

/** What to look at or ask at a stop, printed on the sheet. */
export type WalkCheck =
  "open" | "seed" | "scheduleConfirm" | "scheduleAsk" | "address" | "phone" | "location";

export interface WalkStop {
  id: number;
  position: number;
  kind: "resource" | "seed";
  resourceId: number | null;
  seedId: number | null;
  name: string;
  /** For a seed stop: the resource it belongs to, if any. */
  resourceName: string | null;
  address: string;
  scheduleText: string;
  schedule: ScheduleRule[];
  phone: string;
  status: ResourceStatus | null;
  verifiedOn: string | null;
  verifiedHow: VerifiedHow | null;
  lat: number | null;
  lng: number | null;
  checks: WalkCheck[];
  result: WalkResult | null;
  note: string;
  recordedAt: string | null;
  recordedBy: string | null;
}

export interface Walk {
  id: number;
  area: string;
  plannedOn: string;
  status: "planned" | "done";
  createdAt: string;
  room: {
    id: number;
    name: string;
    address: string;
    lat: number | null;
    lng: number | null;
  } | null;
  stops: WalkStop[];
}

function checksOf(s: {
  kind: "resource" | "seed";
  address: string;
  scheduleText: string;
  schedule: ScheduleRule[];
  phone: string;
  lat: number | null;
}): WalkCheck[] {
  const checks: WalkCheck[] = [s.kind === "seed" ? "seed" : "open"];
  checks.push(s.scheduleText || s.schedule.length ? "scheduleConfirm" : "scheduleAsk");
  if (!s.address) checks.push("address");
  if (!s.phone) checks.push("phone");
  if (s.lat === null) checks.push("location");
  return checks;
}

export async function getWalk(id: number): Promise<Walk | null> {
  const db = getDb();
  const walk = await db
    .selectFrom("town_walk as w")
    .leftJoin("health_room as h", "h.id", "w.health_room_id")
    .select([
      "w.id",
      "w.area",
      "w.planned_on",
      "w.status",
      "w.created_at",
      "h.id as roomId",
      "h.name as roomName",
      "h.address as roomAddress",
      "h.lat as roomLat",
      "h.lng as roomLng",
    ])
    .where("w.id", "=", id)
    .executeTakeFirst();
  if (!walk) return null;
  const rows = await db
    .selectFrom("town_walk_stop as t")
    .leftJoin("seed as s", "s.id", "t.seed_id")
    // A resource stop's resource, or the resource a seed stop's seed belongs to.
    .leftJoin("resource as r", (join) =>
      join.on((eb) =>
        eb.or([
          eb("r.id", "=", eb.ref("t.resource_id")),
          eb.and([eb("t.resource_id", "is", null), eb("r.id", "=", eb.ref("s.resource_id"))]),
        ]),
      ),
    )
    .leftJoin("staff_user as u", "u.id", "t.recorded_by_staff_id")
    .select([
      "t.id",
      "t.position",
      "t.resource_id",
      "t.seed_id",
      "t.result",
      "t.note",
      "t.recorded_at",
      "u.display_name as recordedBy",
      "s.title as seedTitle",
      "r.name",
      "r.address",
      "r.schedule_text",
      "r.schedule_json",
      "r.phone",
      "r.status",
      "r.verified_on",
      "r.verified_how",
      "r.lat",
      "r.lng",
    ])
    .where("t.walk_id", "=", id)
    .orderBy("t.position")
    .execute();
  const stops = rows.map((r): WalkStop => {
    const kind = r.resource_id !== null ? "resource" : "seed";
    const base = {
      kind,
      address: r.address ?? "",
      scheduleText: r.schedule_text ?? "",
      schedule: JSON.parse(r.schedule_json ?? "[]") as ScheduleRule[],
      phone: r.phone ?? "",
      lat: r.lat,
      lng: r.lat === null ? null : r.lng,
    } as const;
    return {
      ...base,
      id: r.id,
      position: r.position,
      resourceId: r.resource_id,
      seedId: r.seed_id,
      name: kind === "resource" ? (r.name ?? "") : (r.seedTitle ?? ""),
      resourceName: kind === "seed" ? r.name : null,
      status: kind === "resource" ? r.status : null,
      verifiedOn: kind === "resource" ? r.verified_on : null,
      verifiedHow: kind === "resource" ? r.verified_how : null,
      checks: checksOf(base),
      result: r.result,
      note: r.note,
      recordedAt: r.recorded_at,
      recordedBy: r.recordedBy,
    };
  });
  return {
    id: walk.id,
    area: walk.area,
    plannedOn: walk.planned_on,
    status: walk.status,
    createdAt: walk.created_at,
    room:
      walk.roomId === null
        ? null
        : {
            id: walk.roomId,
            name: walk.roomName ?? "",
            address: walk.roomAddress ?? "",
            lat: walk.roomLat,
            lng: walk.roomLat === null ? null : walk.roomLng,
          },
    stops,
  };
}

// ---------------------------------------------------------------------------------------------
// Recording results.

/** The fields a walker may correct on the spot. */
export const WALK_FIELDS = ["name", "address", "scheduleText", "phone"] as const;
type WalkField = (typeof WALK_FIELDS)[number];
const COLUMN = {
  name: "name",
  address: "address",
  scheduleText: "schedule_text",
  phone: "phone",
} as const satisfies Record<WalkField, string>;
const LIMIT: Record<WalkField, number> = { name: 100, address: 300, scheduleText: 500, phone: 50 };

export interface WalkResultInput {
  stopId: number;
  /** One of WALK_RESULTS; checked here, since it comes from a form. */
  result: string;
  note?: string;
  /** For "changed": the fields as the walker corrected them. */
  changes?: Partial<Record<WalkField, string>>;
}

/**
 * The results of the recording form: `result-<stopId>` (rows left blank are skipped),
 * `note-<stopId>` and, for "changed", `<field>-<stopId>`.
 */
export function walkResultsFromForm(form: FormData): WalkResultInput[] {
  const out: WalkResultInput[] = [];
  for (const [key, value] of form) {
    const m = /^result-([1-9][0-9]{0,15})$/.exec(key);
    if (!m || typeof value !== "string" || value === "") continue;
    const get = (name: string) => {
      const v = form.get(`${name}-${m[1]}`);
      return typeof v === "string" ? v : undefined;
    };
    const changes: Partial<Record<WalkField, string>> = {};
    for (const f of WALK_FIELDS) {
      const v = get(f);
      if (v !== undefined) changes[f] = v;
    }
    out.push({
      stopId: Number(m[1]),
      result: value,
      note: get("note"),
      ...(value === "changed" ? { changes } : {}),
    });
  }
  return out;
}

const isResult = (v: string): v is WalkResult => (WALK_RESULTS as readonly string[]).includes(v);

/** A field as it is kept: trimmed, and the phone number in half-width digits. */
function clean(field: WalkField, value: string) {
  const v = value.trim();
  return field === "phone" ? v.normalize("NFKC") : v;
}

type ResourceRow = NonNullable<Awaited<ReturnType<typeof resourceRowForChange>>>;

/**
 * Records the results of a walk, all or nothing: verified → verified today by walk; changed →
 * the corrected fields, then verified; closed → status 終了 and verified; not found → back to
 * 要確認 (not verified). A verified or changed resource that was 要確認 becomes 活動中. Seed stops
 * only keep their result and note. The walk is done once every stop has a result.
 */
export async function recordWalkResults(
  walkId: number,
  results: WalkResultInput[],
  by: StaffBy,
): Promise<{ recorded: number; done: boolean }> {
  if (results.length === 0) throw new DomainError("walks.noResults");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const walk = await trx
        .selectFrom("town_walk")
        .select(["id"])
        .where("id", "=", walkId)
        .executeTakeFirst();
      if (!walk) throw new DomainError("error.notFound");
      const stops = new Map(
        (
          await trx
            .selectFrom("town_walk_stop")
            .select(["id", "resource_id", "seed_id", "result"])
            .where("walk_id", "=", walkId)
            .execute()
        ).map((s) => [s.id, s]),
      );
      // Every result is checked before anything is written, so that bad input changes nothing.
      const seen = new Set<number>();
      const checked = [];
      for (const r of results) {
        const stop = stops.get(r.stopId);
        if (!stop || seen.has(r.stopId)) throw new DomainError("walks.unknownStop");
        seen.add(r.stopId);
        if (stop.result !== null)
          throw new DomainError("walks.alreadyRecorded", `result-${r.stopId}`);
        if (!isResult(r.result)) throw new DomainError("walks.chooseResult", `result-${r.stopId}`);
        const note = (r.note ?? "").trim();
        if (codePointLength(note) > 500) throw new DomainError("error.tooLong", `note-${r.stopId}`);
        if (hasForbiddenCharacters(note, { multiline: true }))
          throw new DomainError("error.controlChars", `note-${r.stopId}`);
        const row =
          stop.resource_id === null ? null : await resourceRowForChange(trx, stop.resource_id);
        if (stop.resource_id !== null && !row) throw new DomainError("error.notFound");
        const changes: Partial<Record<(typeof COLUMN)[WalkField], string>> = {};
        if (row && r.result === "changed") {
          for (const f of WALK_FIELDS) {
            const raw = r.changes?.[f];
            if (raw === undefined) continue;
            const v = clean(f, raw);
            const field = `${f}-${r.stopId}`;
            if (f === "name" && !v) throw new DomainError("error.required", field);
            if (codePointLength(v) > LIMIT[f]) throw new DomainError("error.tooLong", field);
            if (f === "phone" && v && !/^[0-9+()\-\s]{6,}$/.test(v))
              throw new DomainError("resources.badPhone", field);
            if (v !== row[COLUMN[f]]) changes[COLUMN[f]] = v;
          }
          if (Object.keys(changes).length === 0)
            throw new DomainError("walks.nothingChanged", `result-${r.stopId}`);
        }
        checked.push({ stop, row, result: r.result, note, changes });
      }

      const recordedAt = new Date().toISOString();
      const verifyAs = (row: ResourceRow) => ({
        source: "walk" as const,
        ...(row.status === "to_verify" ? { status: "active" as const } : {}),
      });
      for (const { stop, row, result, note, changes } of checked) {
        if (row) {
          if (result === "verified")
            await recordVerification(trx, row.id, "walk", by, verifyAs(row));
          if (result === "changed") {
            await changeResource(trx, row, changes, by, "walk");
            await recordVerification(trx, row.id, "walk", by, verifyAs(row));
          }
          if (result === "closed")
            await recordVerification(trx, row.id, "walk", by, { status: "closed", source: "walk" });
          if (result === "not_found")
            await changeResource(trx, row, { status: "to_verify" }, by, "walk");
        }
        await trx
          .updateTable("town_walk_stop")
          .set({
            result,
            note,
            recorded_by_staff_id: by.actor.staffId,
            recorded_at: recordedAt,
          })
          .where("id", "=", stop.id)
          .execute();
      }
      const open = await trx
        .selectFrom("town_walk_stop")
        .select("id")
        .where("walk_id", "=", walkId)
        .where("result", "is", null)
        .executeTakeFirst();
      const done = !open;
      if (done)
        await trx
          .updateTable("town_walk")
          .set({ status: "done" })
          .where("id", "=", walkId)
          .execute();
      await writeAudit(trx, {
        ...by,
        action: "town_walk.record",
        entityType: "town_walk",
        entityId: walkId,
        detail: {
          results: checked.map((c) => ({
            stopId: c.stop.id,
            ...(c.row ? { resourceId: c.row.id } : { seedId: c.stop.seed_id }),
            result: c.result,
            ...(Object.keys(c.changes).length ? { fields: Object.keys(c.changes) } : {}),
          })),
          done,
        },
      });
      return { recorded: checked.length, done };
    });
}
