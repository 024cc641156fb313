/**
 * Login throttling (decision 028). Every attempt reserves a row per key in login_attempt in the
 * same transaction that counts the rows already there, so a burst of parallel requests cannot
 * all pass the check before any of them is counted: transactions begin IMMEDIATE and run one at a
 * time. A successful login gives its reservation back; a failed one leaves it counted.
 *
 * Who can be locked out, and by whom:
 * - `address`: every login from one address, 50 per 15 minutes. Loose, because a whole health
 *   office usually reaches the server through one address.
 * - `account_address` / `code_address`: one account (or access code) from one address, 10 per
 *   15 minutes. The strict limit, and it locks out only the address that made the failures: a
 *   stranger who knows a login id cannot lock its owner out from elsewhere.
 * - `account` / `code`: one account (or code) from all addresses together, 100 per 15 minutes,
 *   against guessing spread over many addresses. Addresses from which the account logged in
 *   successfully in the last 30 days are exempt from this one (the caller passes `exempt`), so
 *   even then the owner still gets in from their usual place.
 */
import type { DB } from "./db.server";

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const THROTTLE_LIMITS = {
  address: 50,
  account_address: 10,
  account: 100,
  code_address: 10,
  code: 100,
} as const;
/** How long a successful login makes an address "known" to that account. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;
const KEEP_ATTEMPTS_MS = 24 * 60 * 60 * 1000;

export type ThrottleScope = keyof typeof THROTTLE_LIMITS;
export type ThrottleKeys = Partial<Record<ThrottleScope, string>>;

/** The rows an attempt holds: given back after a successful login. */
export interface Reservation {
  ids: number[];
}

/**
 * Counts and reserves in one step. Null when a key is over its limit (nothing is reserved
 * then); otherwise the attempt is counted before its password is checked. Keys in `exempt`
 * are counted but not checked.
 */
export async function reserveAttempt(
  db: DB,
  keys: ThrottleKeys,
  options: { exempt?: ThrottleScope[] } = {},
): Promise<Reservation | null> {
  const entries = (Object.entries(keys) as [ThrottleScope, string | undefined][]).filter(
    (entry): entry is [ThrottleScope, string] => entry[1] !== undefined && entry[1] !== "",
  );
  if (entries.length === 0) return { ids: [] };
  const now = new Date();
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
  return db.transaction().execute(async (trx) => {
    for (const [scope, key] of entries) {
      if (options.exempt?.includes(scope)) continue;
      const row = await trx
        .selectFrom("login_attempt")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("scope", "=", scope)
        .where("key", "=", key)
        .where("attempted_at", ">", since)
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= THROTTLE_LIMITS[scope]) return null;
    }
    const inserted = await trx
      .insertInto("login_attempt")
      .values(entries.map(([scope, key]) => ({ scope, key, attempted_at: now.toISOString() })))
      .returning("id")
      .execute();
    const expired = new Date(now.getTime() - KEEP_ATTEMPTS_MS).toISOString();
    await trx.deleteFrom("login_attempt").where("attempted_at", "<", expired).execute();
    return { ids: inserted.map((r) => r.id) };
  });
}

/** A successful login does not count against anyone. */
export async function releaseAttempt(db: DB, reservation: Reservation): Promise<void> {
  if (reservation.ids.length === 0) return;
  await db.deleteFrom("login_attempt").where("id", "in", reservation.ids).execute();
}

/**
 * Whether this account (or participant) logged in successfully from this address lately, read
 * from the audit log's login entries.
 */
export async function isKnownAddress(
  db: DB,
  login: { action: "staff.login" | "participant.login"; entityType: string; entityId: number },
  ip: string,
): Promise<boolean> {
  if (!ip) return false;
  const since = new Date(Date.now() - KNOWN_ADDRESS_MS).toISOString();
  const row = await db
    .selectFrom("audit_log")
    .select("id")
    .where("entity_type", "=", login.entityType)
    .where("entity_id", "=", String(login.entityId))
    .where("action", "=", login.action)
    .where("ip", "=", ip)
    .where("at", ">", since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
