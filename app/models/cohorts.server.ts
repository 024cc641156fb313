import { z } from "zod";
import type { Cohort } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb } from "~/utils/db.server";
import { DomainError, requiredDate, requiredText } from "~/utils/forms.server";

export const CohortSchema = z
  .object({
    name: requiredText(60),
    startsOn: requiredDate(),
    endsOn: requiredDate(),
  })
  .refine((v) => v.endsOn >= v.startsOn, { message: "error.endBeforeStart", path: ["endsOn"] });

export type CohortInput = z.output<typeof CohortSchema>;

export interface CohortSummary extends Cohort {
  participantCount: number;
  groupCount: number;
}

export async function listCohorts(): Promise<CohortSummary[]> {
  const rows = await getDb()
    .selectFrom("cohort")
    .selectAll("cohort")
    .select((eb) => [
      eb
        .selectFrom("participant")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("participant.cohort_id", "=", "cohort.id")
        .as("participantCount"),
      eb
        .selectFrom("diary_group")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("diary_group.cohort_id", "=", "cohort.id")
        .as("groupCount"),
    ])
    .orderBy("starts_on", "desc")
    .execute();
  return rows.map((r) => ({
    ...r,
    participantCount: Number(r.participantCount),
    groupCount: Number(r.groupCount),
  }));
}

export async function getCohort(id: number): Promise<Cohort | undefined> {
  return getDb().selectFrom("cohort").selectAll().where("id", "=", id).executeTakeFirst();
}

async function assertNameFree(name: string, exceptId?: number) {
  let query = getDb().selectFrom("cohort").select("id").where("name", "=", name);
  if (exceptId) query = query.where("id", "!=", exceptId);
  if (await query.executeTakeFirst()) throw new DomainError("error.nameTaken", "name");
}

export async function createCohort(
  input: CohortInput,
  by: { actor: Actor; ip?: string },
): Promise<number> {
  await assertNameFree(input.name);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const { id } = await trx
        .insertInto("cohort")
        .values({ name: input.name, starts_on: input.startsOn, ends_on: input.endsOn })
        .returning("id")
        .executeTakeFirstOrThrow();
      await writeAudit(trx, {
        ...by,
        action: "cohort.create",
        entityType: "cohort",
        entityId: id,
        detail: input,
      });
      return id;
    });
}

export async function updateCohort(
  id: number,
  input: CohortInput,
  by: { actor: Actor; ip?: string },
) {
  await assertNameFree(input.name, id);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const result = await trx
        .updateTable("cohort")
        .set({
          name: input.name,
          starts_on: input.startsOn,
          ends_on: input.endsOn,
          updated_at: new Date().toISOString(),
        })
        .where("id", "=", id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new DomainError("error.notFound");
      await writeAudit(trx, {
        ...by,
        action: "cohort.update",
        entityType: "cohort",
        entityId: id,
        detail: input,
      });
    });
}
