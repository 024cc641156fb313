/**
 * Login throttling. Failed attempts are rows in login_attempt; a key with too many failures in
 * the window is refused (HTTP 429) before its password is even checked.
 *
 * Per account the limit is strict (10 per 15 minutes). Per address it is looser, because a
 * whole health office usually reaches the server through one address and one person's typos
 * must not lock out their colleagues.
 */
import type { DB } from "./db.server";

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const THROTTLE_LIMITS = { account: 10, address: 50, code: 10 } as const;

type Scope = keyof typeof THROTTLE_LIMITS;

export async function isThrottled(db: DB, keys: Partial<Record<Scope, string>>): Promise<boolean> {
  const since = new Date(Date.now() - THROTTLE_WINDOW_MS).toISOString();
  for (const [scope, key] of Object.entries(keys) as [Scope, string | undefined][]) {
    if (key === undefined) continue;
    const row = await db
      .selectFrom("login_attempt")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("scope", "=", scope)
      .where("key", "=", key)
      .where("attempted_at", ">", since)
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= THROTTLE_LIMITS[scope]) return true;
  }
  return false;
}

export async function recordFailedAttempt(
  db: DB,
  keys: Partial<Record<Scope, string>>,
): Promise<void> {
  const now = new Date();
  const rows = (Object.entries(keys) as [Scope, string | undefined][])
    .filter((entry): entry is [Scope, string] => entry[1] !== undefined)
    .map(([scope, key]) => ({ scope, key, attempted_at: now.toISOString() }));
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("login_attempt").values(rows).execute();
    const expired = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
    await trx.deleteFrom("login_attempt").where("attempted_at", "<", expired).execute();
  });
}
