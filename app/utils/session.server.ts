/**
 * Server-side sessions stored in SQLite. The cookie carries only a random token (signed); the
 * database keeps its SHA-256, so a leaked database cannot be replayed as cookies. Deleting the
 * row ends the session at once (logout, deactivation, access-code rotation).
 */
import crypto from "node:crypto";
import { createCookie, type Cookie } from "@remix-run/node";
import type { SessionKind } from "../../db/schema";
import { getDb } from "./db.server";
import { getEnv } from "./env.server";
import { cutCodePoints } from "./text";

export const SESSION_LIMITS: Record<SessionKind, { idleMs: number; absoluteMs: number }> = {
  // Staff work at shared PCs in the office: short idle timeout, one working day at most.
  staff: { idleMs: 2 * 60 * 60 * 1000, absoluteMs: 12 * 60 * 60 * 1000 },
  // Participants open their group page now and then on their own phone.
  participant: { idleMs: 14 * 24 * 60 * 60 * 1000, absoluteMs: 30 * 24 * 60 * 60 * 1000 },
};

/** last_seen_at is refreshed at most this often, to avoid a write on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

const DEV_SECRET = "development-only-secret-do-not-use-in-production";

let cookie: Cookie | undefined;
function getSessionCookie(): Cookie {
  if (cookie) return cookie;
  const env = getEnv();
  const secret = env.sessionSecret ?? (env.mode === "production" ? undefined : DEV_SECRET);
  if (!secret) throw new Error("SESSION_SECRET must be set in production.");
  cookie = createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.mode === "production",
    path: "/",
    secrets: [secret],
  });
  return cookie;
}

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export interface SessionRecord {
  id: string;
  kind: SessionKind;
  staffUserId: number | null;
  participantId: number | null;
}

export async function createSession(options: {
  kind: SessionKind;
  staffUserId?: number;
  participantId?: number;
  ip: string;
  userAgent: string;
}): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = new Date();
  const limits = SESSION_LIMITS[options.kind];
  await getDb()
    .insertInto("session")
    .values({
      id: hashToken(token),
      kind: options.kind,
      staff_user_id: options.staffUserId ?? null,
      participant_id: options.participantId ?? null,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + limits.absoluteMs).toISOString(),
      ip: options.ip,
      user_agent: cutCodePoints(options.userAgent, 300),
    })
    .execute();
  return getSessionCookie().serialize(token, { maxAge: limits.absoluteMs / 1000 });
}

// The root loader, the route's guard and the route's loader all ask for the session of the same
// request: look it up (and refresh last_seen_at) once per request.
const sessionsByRequest = new WeakMap<Request, Promise<SessionRecord | null>>();

export function getSession(request: Request): Promise<SessionRecord | null> {
  let session = sessionsByRequest.get(request);
  if (!session) {
    session = lookUpSession(request);
    sessionsByRequest.set(request, session);
  }
  return session;
}

async function lookUpSession(request: Request): Promise<SessionRecord | null> {
  const token = await getSessionCookie().parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length === 0) return null;
  const db = getDb();
  const row = await db
    .selectFrom("session")
    .selectAll()
    .where("id", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const idleLimit = SESSION_LIMITS[row.kind].idleMs;
  if (Date.parse(row.expires_at) <= now || Date.parse(row.last_seen_at) + idleLimit <= now) {
    await db.deleteFrom("session").where("id", "=", row.id).execute();
    return null;
  }
  if (Date.parse(row.last_seen_at) + TOUCH_INTERVAL_MS < now) {
    await db
      .updateTable("session")
      .set({ last_seen_at: new Date(now).toISOString() })
      .where("id", "=", row.id)
      .execute();
  }
  return {
    id: row.id,
    kind: row.kind,
    staffUserId: row.staff_user_id,
    participantId: row.participant_id,
  };
}

export async function destroySession(request: Request): Promise<string> {
  const session = await getSession(request);
  if (session) await getDb().deleteFrom("session").where("id", "=", session.id).execute();
  return getSessionCookie().serialize("", { maxAge: 0 });
}

export async function endSessionsOfStaff(staffUserId: number): Promise<void> {
  await getDb().deleteFrom("session").where("staff_user_id", "=", staffUserId).execute();
}

export async function endSessionsOfParticipant(participantId: number): Promise<void> {
  await getDb().deleteFrom("session").where("participant_id", "=", participantId).execute();
}
