import { sql, type Kysely, type Transaction } from "kysely";
import { isPostgres } from "./dialect";

// Frozen in time: this file must never import application code.

/**
 * CHECK constraints on the enum-like and 0/1 columns that had none, and the index that serves the
 * station's "latest OCR job of each page" lookup (decision 011).
 *
 * SQLite cannot add a CHECK to an existing table, so each table is rebuilt by the procedure in
 * https://www.sqlite.org/lang_altertable.html#otheralter: foreign keys off; then, in one
 * transaction, create `new_X` from X's own CREATE statement with the checks appended, copy the
 * rows, drop X, rename `new_X` to X, recreate X's indexes and triggers, and commit only if
 * `foreign_key_check` finds nothing. Foreign keys must be off while X is dropped: with them on,
 * dropping `page` would delete every OCR job, transcription and 見守り flag through ON DELETE
 * CASCADE (and dropping `staff_user` every session). The pragma is a no-op inside a transaction;
 * Kysely runs SQLite migrations outside one, on a single connection, and `up` checks that the
 * pragma took effect before it touches anything.
 */

/** `AGE_BANDS` in app/models/constants.ts when this migration was written. */
const AGE_BANDS = ["teens", "20s", "30s", "40s", "50s", "60s", "70plus", "unspecified"];

interface Check {
  table: string;
  column: string;
  values: ReadonlyArray<string | number>;
}

const CHECKS: Check[] = [
  { table: "staff_user", column: "active", values: [0, 1] },
  { table: "participant", column: "age_band", values: AGE_BANDS },
  // app/utils/throttle.server.ts
  { table: "login_attempt", column: "scope", values: ["account", "address", "code"] },
  { table: "page", column: "hidden", values: [0, 1] },
  // Null on staff versions (only OCR records a layout); a CHECK whose result is null passes.
  { table: "transcription", column: "layout", values: ["horizontal", "vertical"] },
  { table: "concern_phrase", column: "active", values: [0, 1] },
];

const TABLES = [...new Set(CHECKS.map((c) => c.table))];

export async function up(db: Kysely<any>): Promise<void> {
  // PostgreSQL adds a CHECK to a table in place (and checks the existing rows as it does).
  if (isPostgres(db)) {
    for (const check of CHECKS)
      await sql
        .raw(
          `alter table "${check.table}" add constraint "${constraintName(check)}" check (${expression(check)})`,
        )
        .execute(db);
    await sql`create index ocr_job_page_idx on ocr_job (page_id, id)`.execute(db);
    return;
  }
  await withForeignKeysOff(db, async (trx) => {
    await refuseViolations(trx);
    for (const table of TABLES)
      await rebuild(trx, table, (create) => withChecks(create, checksOf(table)));
    await sql`create index ocr_job_page_idx on ocr_job (page_id, id)`.execute(trx);
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop index ocr_job_page_idx`.execute(db);
    for (const check of CHECKS)
      await sql
        .raw(`alter table "${check.table}" drop constraint "${constraintName(check)}"`)
        .execute(db);
    return;
  }
  await withForeignKeysOff(db, async (trx) => {
    await sql`drop index ocr_job_page_idx`.execute(trx);
    for (const table of TABLES)
      await rebuild(trx, table, (create) => withoutChecks(create, checksOf(table)));
  });
}

function checksOf(table: string): Check[] {
  return CHECKS.filter((c) => c.table === table);
}

function literal(value: string | number): string {
  return typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

function constraintName(check: Check): string {
  return `${check.table}_${check.column}_ck`;
}

function expression(check: Check): string {
  return `"${check.column}" in (${check.values.map(literal).join(", ")})`;
}

/** The text appended to the CREATE TABLE statement, and removed again by `down`. */
function constraintClause(check: Check): string {
  return `, constraint "${constraintName(check)}" check (${expression(check)})`;
}

function withChecks(create: string, checks: Check[]): string {
  const end = create.lastIndexOf(")");
  return create.slice(0, end) + checks.map(constraintClause).join("") + create.slice(end);
}

function withoutChecks(create: string, checks: Check[]): string {
  return checks.reduce((text, check) => {
    const clause = constraintClause(check);
    if (!text.includes(clause))
      throw new Error(`add_checks down: ${constraintName(check)} is not in the table definition`);
    return text.replace(clause, "");
  }, create);
}

/**
 * Runs `change` in one transaction with foreign-key enforcement off, as the documented procedure
 * asks, and restores enforcement afterwards whatever happens. The transaction commits only if
 * `foreign_key_check` is clean; otherwise it rolls back and the database stays as it was.
 */
async function withForeignKeysOff(
  db: Kysely<any>,
  change: (trx: Transaction<any>) => Promise<void>,
): Promise<void> {
  const enforced = await foreignKeys(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    if ((await foreignKeys(db)) !== 0)
      throw new Error(
        "add_checks: PRAGMA foreign_keys = OFF had no effect (is the migration running inside a " +
          "transaction?); rebuilding the tables now would delete the rows that reference them",
      );
    await db.transaction().execute(async (trx) => {
      await change(trx);
      const { rows } = await sql<ForeignKeyProblem>`pragma foreign_key_check`.execute(trx);
      if (rows.length > 0)
        throw new Error(
          `add_checks: foreign_key_check found ${rows.length} broken reference(s), e.g. ` +
            rows
              .slice(0, 5)
              .map((r) => `${r.table} rowid ${r.rowid} → ${r.parent}`)
              .join(", ") +
            "; nothing was changed",
        );
    });
  } finally {
    if (enforced === 1) await sql`pragma foreign_keys = on`.execute(db);
  }
}

interface ForeignKeyProblem {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

async function foreignKeys(db: Kysely<any>): Promise<number | undefined> {
  const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  return rows[0]?.foreign_keys;
}

/** One error naming every column with rows the new checks would refuse, before anything changes. */
async function refuseViolations(trx: Transaction<any>): Promise<void> {
  const problems: string[] = [];
  for (const check of CHECKS) {
    // `not (x in (…))` is null for a null x, and a CHECK lets null through: same rows as SQLite.
    const { rows } = await sql<{ id: number; value: unknown }>`
      select rowid as id, ${sql.ref(check.column)} as value from ${sql.table(check.table)}
      where not (${sql.raw(expression(check))}) order by rowid`.execute(trx);
    if (rows.length === 0) continue;
    const examples = rows
      .slice(0, 5)
      .map((r) => `id ${r.id} (${JSON.stringify(r.value)})`)
      .join(", ");
    problems.push(
      `${check.table}.${check.column}: ${rows.length} row(s) outside ` +
        `(${check.values.map(literal).join(", ")}), e.g. ${examples}`,
    );
  }
  if (problems.length > 0)
    throw new Error(
      `add_checks: existing rows break the new CHECK constraints; correct them and migrate ` +
        `again (nothing was changed):\n  ${problems.join("\n  ")}`,
    );
}

/** Steps 3–8 of the procedure for one table, on the transaction of `withForeignKeysOff`. */
async function rebuild(
  trx: Transaction<any>,
  table: string,
  change: (create: string) => string,
): Promise<void> {
  const temp = `new_${table}`;
  const { rows: tables } = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'table' and name = ${table}`.execute(trx);
  const create = tables[0]?.sql;
  if (!create) throw new Error(`add_checks: there is no table ${table}`);
  const header = new RegExp(`^CREATE TABLE\\s+(?:"${table}"|${table})\\s*\\(`, "i");
  if (!header.test(create)) throw new Error(`add_checks: cannot read the definition of ${table}`);
  // Indexes (the automatic ones excepted, sql is null) and triggers go with the dropped table.
  const { rows: companions } = await sql<{ sql: string }>`
    select sql from sqlite_master
    where tbl_name = ${table} and type in ('index', 'trigger') and sql is not null
    order by type, name`.execute(trx);
  // Copying would restart AUTOINCREMENT at max(id) and hand out the ids of deleted rows again.
  const { rows: sequence } = await sql<{ seq: number }>`
    select seq from sqlite_sequence where name = ${table}`.execute(trx);

  await sql.raw(change(create).replace(header, `CREATE TABLE "${temp}" (`)).execute(trx);
  await sql`insert into ${sql.table(temp)} select * from ${sql.table(table)}`.execute(trx);
  await sql`drop table ${sql.table(table)}`.execute(trx);
  await sql`alter table ${sql.table(temp)} rename to ${sql.table(table)}`.execute(trx);
  for (const { sql: statement } of companions) await sql.raw(statement).execute(trx);
  await sql`delete from sqlite_sequence where name = ${table}`.execute(trx);
  // better-sqlite3 binds a JS number as a real; sqlite_sequence has no column types to convert it.
  if (sequence[0])
    await sql`insert into sqlite_sequence (name, seq)
      values (${table}, cast(${sequence[0].seq} as integer))`.execute(trx);
}
