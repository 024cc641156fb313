import { z } from "zod";
import type { HealthRoom } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb } from "~/utils/db.server";
import { DomainError, optionalText, requiredText } from "~/utils/forms.server";

const coordinate = (min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .refine(
      (v) => !v || (/^-?\d+(\.\d+)?$/.test(v) && Number(v) >= min && Number(v) <= max),
      "error.coordinate",
    )
    .transform((v) => (v ? Number(v) : null));

export const HealthRoomSchema = z
  .object({
    name: requiredText(80),
    area: requiredText(40),
    address: requiredText(200),
    hours: optionalText(200).transform((v) => v ?? ""),
    lat: coordinate(-90, 90),
    lng: coordinate(-180, 180),
  })
  .refine((v) => (v.lat === null) === (v.lng === null), {
    message: "error.coordinatePair",
    path: ["lat"],
  });

export type HealthRoomInput = z.output<typeof HealthRoomSchema>;

export async function listHealthRooms(): Promise<HealthRoom[]> {
  return getDb().selectFrom("health_room").selectAll().orderBy("area").orderBy("name").execute();
}

export async function getHealthRoom(id: number): Promise<HealthRoom | undefined> {
  return getDb().selectFrom("health_room").selectAll().where("id", "=", id).executeTakeFirst();
}

async function assertNameFree(name: string, exceptId?: number) {
  let query = getDb().selectFrom("health_room").select("id").where("name", "=", name);
  if (exceptId) query = query.where("id", "!=", exceptId);
  if (await query.executeTakeFirst()) throw new DomainError("error.nameTaken", "name");
}

export async function createHealthRoom(input: HealthRoomInput, by: { actor: Actor; ip?: string }) {
  await assertNameFree(input.name);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const { id } = await trx
        .insertInto("health_room")
        .values(input)
        .returning("id")
        .executeTakeFirstOrThrow();
      await writeAudit(trx, {
        ...by,
        action: "health_room.create",
        entityType: "health_room",
        entityId: id,
      });
      return id;
    });
}

export async function updateHealthRoom(
  id: number,
  input: HealthRoomInput,
  by: { actor: Actor; ip?: string },
) {
  await assertNameFree(input.name, id);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const result = await trx
        .updateTable("health_room")
        .set({ ...input, updated_at: new Date().toISOString() })
        .where("id", "=", id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new DomainError("error.notFound");
      await writeAudit(trx, {
        ...by,
        action: "health_room.update",
        entityType: "health_room",
        entityId: id,
      });
    });
}
