import { z } from "zod";
import type { StaffRole } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError, requiredText } from "~/utils/forms.server";
import {
  getDummyHash,
  hashSecret,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifySecret,
} from "~/utils/password.server";
import { endSessionsOfStaff } from "~/utils/session.server";
import { isKnownAddress, releaseAttempt, reserveAttempt } from "~/utils/throttle.server";

export const PasswordSchema = z
  .string({ error: "error.required" })
  .min(PASSWORD_MIN_LENGTH, "error.passwordTooShort")
  .max(PASSWORD_MAX_LENGTH, "error.passwordTooLong");

export const StaffCreateSchema = z.object({
  login: z
    .string({ error: "error.required" })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{3,40}$/, "error.loginFormat"),
  displayName: requiredText(60),
  role: z.enum(["admin", "staff"], { error: "error.required" }),
  password: PasswordSchema,
});

export const StaffUpdateSchema = z.object({
  displayName: requiredText(60),
  role: z.enum(["admin", "staff"], { error: "error.required" }),
});

export interface StaffSummary {
  id: number;
  login: string;
  displayName: string;
  role: StaffRole;
  active: boolean;
}

function toSummary(row: {
  id: number;
  login: string;
  display_name: string;
  role: StaffRole;
  active: number;
}): StaffSummary {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    active: row.active === 1,
  };
}

export async function listStaff(): Promise<StaffSummary[]> {
  const rows = await getDb()
    .selectFrom("staff_user")
    .select(["id", "login", "display_name", "role", "active"])
    .orderBy("active", "desc")
    .orderBy("login")
    .execute();
  return rows.map(toSummary);
}

export async function getStaffUser(id: number): Promise<StaffSummary | null> {
  const row = await getDb()
    .selectFrom("staff_user")
    .select(["id", "login", "display_name", "role", "active"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toSummary(row) : null;
}

export async function createStaffUser(
  input: z.output<typeof StaffCreateSchema>,
  by: { actor: Actor; ip?: string },
): Promise<number> {
  const db = getDb();
  const existing = await db
    .selectFrom("staff_user")
    .select("id")
    .where("login", "=", input.login)
    .executeTakeFirst();
  if (existing) throw new DomainError("error.loginTaken", "login");
  // Hash outside the transaction: it takes half a second on purpose.
  const passwordHash = await hashSecret(input.password);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("staff_user")
      .values({
        login: input.login,
        display_name: input.displayName,
        role: input.role,
        password_hash: passwordHash,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      ...by,
      action: "staff.create",
      entityType: "staff_user",
      entityId: id,
      detail: { login: input.login, role: input.role },
    });
    return id;
  });
}

export async function updateStaffUser(
  id: number,
  input: z.output<typeof StaffUpdateSchema>,
  by: { actor: Actor; ip?: string },
): Promise<void> {
  const db = getDb();
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("staff_user")
      .select(["role"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!before) throw new DomainError("error.notFound");
    if (before.role === "admin" && input.role !== "admin") await assertAnotherActiveAdmin(trx, id);
    await trx
      .updateTable("staff_user")
      .set({
        display_name: input.displayName,
        role: input.role,
        updated_at: new Date().toISOString(),
      })
      .where("id", "=", id)
      .execute();
    await writeAudit(trx, {
      ...by,
      action: "staff.update",
      entityType: "staff_user",
      entityId: id,
      detail: { role: input.role },
    });
  });
}

async function assertAnotherActiveAdmin(trx: DB, id: number) {
  const others = await trx
    .selectFrom("staff_user")
    .select("id")
    .where("role", "=", "admin")
    .where("active", "=", 1)
    .where("id", "!=", id)
    .execute();
  if (others.length === 0) throw new DomainError("error.lastAdmin");
}

/** Deactivation ends every session of the account at once. */
export async function setStaffActive(
  id: number,
  active: boolean,
  by: { actor: Actor; ip?: string },
): Promise<void> {
  const db = getDb();
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("staff_user")
      .select(["role"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!before) throw new DomainError("error.notFound");
    if (!active && before.role === "admin") await assertAnotherActiveAdmin(trx, id);
    await trx
      .updateTable("staff_user")
      .set({ active: active ? 1 : 0, updated_at: new Date().toISOString() })
      .where("id", "=", id)
      .execute();
    if (!active) await trx.deleteFrom("session").where("staff_user_id", "=", id).execute();
    await writeAudit(trx, {
      ...by,
      action: active ? "staff.activate" : "staff.deactivate",
      entityType: "staff_user",
      entityId: id,
    });
  });
}

export async function setStaffPassword(
  id: number,
  password: string,
  by: { actor: Actor; ip?: string },
): Promise<void> {
  const passwordHash = await hashSecret(password);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const result = await trx
        .updateTable("staff_user")
        .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
        .where("id", "=", id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new DomainError("error.notFound");
      await writeAudit(trx, {
        ...by,
        action: "staff.password_reset",
        entityType: "staff_user",
        entityId: id,
      });
    });
  await endSessionsOfStaff(id);
}

/**
 * What a failed or throttled login records about the login typed: the account's id (as the
 * row's entity) when it names one, otherwise only that it named none. The text itself is never
 * kept: a login that matches no account is often a password, or a participant's access code,
 * typed into the wrong field (decision 024).
 */
function typedLoginDetail(account: { id: number } | undefined): Record<string, unknown> {
  return account ? {} : { unknownLogin: true };
}

export type StaffLoginResult =
  { status: "ok"; staffUserId: number } | { status: "invalid" } | { status: "throttled" };

/** Checks a login with throttling; failures and successes are audit-logged. */
export async function authenticateStaff(
  login: string,
  password: string,
  ip: string,
): Promise<StaffLoginResult> {
  const db = getDb();
  const account = login.trim().toLowerCase();
  const user = await db
    .selectFrom("staff_user")
    .select(["id", "password_hash", "active"])
    .where("login", "=", account)
    .executeTakeFirst();
  const known =
    user !== undefined &&
    (await isKnownAddress(
      db,
      { action: "staff.login", entityType: "staff_user", entityId: user.id },
      ip,
    ));
  // The login id is counted as typed, whether or not such an account exists.
  const reservation = await reserveAttempt(
    db,
    { address: ip, account_address: ip ? `${account}\n${ip}` : undefined, account },
    { exempt: known ? ["account"] : [] },
  );
  if (!reservation) {
    await writeAudit(db, {
      actor: { type: "anonymous" },
      action: "staff.login_throttled",
      entityType: "staff_user",
      entityId: user?.id ?? null,
      detail: typedLoginDetail(user),
      ip,
    });
    return { status: "throttled" };
  }
  const ok = await verifySecret(password, user?.password_hash ?? (await getDummyHash()));
  if (!user || !ok || user.active !== 1) {
    await writeAudit(db, {
      actor: { type: "anonymous" },
      action: "staff.login_failed",
      entityType: "staff_user",
      entityId: user?.id ?? null,
      detail: typedLoginDetail(user),
      ip,
    });
    return { status: "invalid" };
  }
  await releaseAttempt(db, reservation);
  await writeAudit(db, {
    actor: { type: "staff", staffId: user.id },
    action: "staff.login",
    entityType: "staff_user",
    entityId: user.id,
    ip,
  });
  return { status: "ok", staffUserId: user.id };
}
