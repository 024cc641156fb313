/**
 * Every form of the seed-review queue as one schema, told apart by `intent`. A module of its own:
 * the schemas come from server modules, which the route's browser bundle does not have.
 */
import { z } from "zod";
import { REJECT_REASONS } from "~/models/seeds.server";
import { optionalText, requiredId } from "~/utils/forms.server";

const seedId = requiredId();

export const SeedQueueIntentSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("accept"),
    seedId,
    name: optionalText(100),
    visibility: z.enum(["staff", "public"], { error: "error.invalid" }),
  }),
  z.object({
    intent: z.literal("merge"),
    seedId,
    resourceId: z
      .string({ error: "seeds.chooseResource" })
      .regex(/^[1-9][0-9]{0,15}$/, "seeds.chooseResource")
      .transform(Number),
  }),
  z.object({
    intent: z.literal("reject"),
    seedId,
    reason: z.enum(REJECT_REASONS, { error: "seeds.chooseReason" }),
    note: optionalText(500, { multiline: true }),
  }),
  z.object({ intent: z.literal("undo") }),
]);

export type SeedQueueIntent = z.output<typeof SeedQueueIntentSchema>;
