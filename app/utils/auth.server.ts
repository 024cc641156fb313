/**
 * Access guards. Every loader and action calls one of these itself; a parent route's loader
 * never protects its children.
 */
import { redirect } from "@remix-run/node";
import type { StaffRole } from "../../db/schema";
import { writeAudit, type Actor } from "./audit.server";
import { getDb } from "./db.server";
import { forbidden, getClientIp, notFound } from "./http.server";
import { getSession } from "./session.server";

export interface StaffContext {
  staff: { id: number; login: string; displayName: string; role: StaffRole };
  actor: Actor;
  ip: string;
}

export interface ParticipantContext {
  participant: { id: number; penName: string };
  /** The group the participant currently belongs to, if any. */
  groupId: number | null;
  actor: Actor;
  ip: string;
}

function loginRedirect(request: Request, path: "/login" | "/code"): never {
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  throw redirect(
    redirectTo === "/" ? path : `${path}?redirectTo=${encodeURIComponent(redirectTo)}`,
  );
}

export async function getStaff(request: Request): Promise<StaffContext | null> {
  const session = await getSession(request);
  if (!session || session.kind !== "staff" || session.staffUserId == null) return null;
  const user = await getDb()
    .selectFrom("staff_user")
    .select(["id", "login", "display_name", "role"])
    .where("id", "=", session.staffUserId)
    .where("active", "=", 1)
    .executeTakeFirst();
  if (!user) return null;
  return {
    staff: { id: user.id, login: user.login, displayName: user.display_name, role: user.role },
    actor: { type: "staff", staffId: user.id },
    ip: getClientIp(request),
  };
}

export async function requireStaff(request: Request): Promise<StaffContext> {
  const staff = await getStaff(request);
  if (staff) return staff;
  const session = await getSession(request);
  // A participant is told nothing about staff pages, not even that they exist (decision 016).
  if (session?.kind === "participant") notFound();
  loginRedirect(request, "/login");
}

export async function requireAdmin(request: Request): Promise<StaffContext> {
  const ctx = await requireStaff(request);
  if (ctx.staff.role !== "admin") forbidden();
  return ctx;
}

export async function getParticipant(request: Request): Promise<ParticipantContext | null> {
  const session = await getSession(request);
  if (!session || session.kind !== "participant" || session.participantId == null) return null;
  const db = getDb();
  const participant = await db
    .selectFrom("participant")
    .select(["id", "pen_name"])
    .where("id", "=", session.participantId)
    .where("withdrawn_on", "is", null)
    .executeTakeFirst();
  if (!participant) return null;
  const membership = await db
    .selectFrom("group_member")
    .select("group_id")
    .where("participant_id", "=", participant.id)
    .where("left_on", "is", null)
    .orderBy("id", "desc")
    .executeTakeFirst();
  return {
    participant: { id: participant.id, penName: participant.pen_name },
    groupId: membership?.group_id ?? null,
    actor: { type: "participant", participantId: participant.id },
    ip: getClientIp(request),
  };
}

export async function requireParticipant(request: Request): Promise<ParticipantContext> {
  const participant = await getParticipant(request);
  if (participant) return participant;
  loginRedirect(request, "/code");
}

/**
 * A participant may see their own current group only; any other group id is a 404 (not 403),
 * so that the existence of other groups is not revealed. Staff may open every group page.
 */
export async function requireParticipantOfGroup(
  request: Request,
  groupId: number,
): Promise<
  { kind: "staff"; ctx: StaffContext } | { kind: "participant"; ctx: ParticipantContext }
> {
  const staff = await getStaff(request);
  if (staff) return { kind: "staff", ctx: staff };
  const participant = await requireParticipant(request);
  if (participant.groupId !== groupId) {
    // Told nothing (a 404, as for a group that does not exist), but staff can see the attempt.
    await writeAudit(getDb(), {
      actor: participant.actor,
      action: "participant.access_denied",
      entityType: "diary_group",
      entityId: groupId,
      ip: participant.ip,
      detail: { path: new URL(request.url).pathname },
    });
    notFound();
  }
  return { kind: "participant", ctx: participant };
}
