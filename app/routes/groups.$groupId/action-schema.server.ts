import { z } from "zod";
import { HandoffSchema } from "~/models/custody.server";
import { AddMemberSchema, ReplaceMemberSchema } from "~/models/group-members.server";
import { GroupUpdateSchema } from "~/models/groups.server";
import { requiredId } from "~/utils/forms.server";

// A module of its own, not a constant in route.tsx: the schemas come from server modules, which
// the browser bundle of the route does not have.

const STATUS_VALUES = ["forming", "active", "finished"] as const;

/** The forms of the group page, told apart by their `intent`. */
export const GroupActionSchema = z.discriminatedUnion("intent", [
  GroupUpdateSchema.extend({ intent: z.literal("update") }),
  z.object({ intent: z.literal("status"), status: z.enum(STATUS_VALUES) }),
  AddMemberSchema.extend({ intent: z.literal("addMember") }),
  ReplaceMemberSchema.extend({ intent: z.literal("replaceMember") }),
  z.object({ intent: z.literal("removeMember"), memberId: requiredId() }),
  HandoffSchema.extend({ intent: z.literal("handoff") }),
]);
