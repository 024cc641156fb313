/**
 * Everything the review editor's forms can ask for, as one schema: each form names its intent
 * and its page, and text edits carry the base they were made on (see `EditBase`).
 */
import { z } from "zod";
import { SeedCreateSchema } from "~/models/seeds.server";
import { PageDetailsSchema, type EditBase } from "~/models/transcriptions.server";
import { requiredId, requiredText } from "~/utils/forms.server";
import { hasForbiddenCharacters } from "~/utils/text";
import type { Edit } from "~/utils/transcript";

const pageId = z
  .string({ error: "review.wrongPage" })
  .regex(/^[1-9][0-9]{0,15}$/, "review.wrongPage")
  .transform(Number);

/** A field the form repeats (one per line): absent, one value, or several. */
const repeated = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const base = {
  pageId,
  baseVersion: z
    .string({ error: "review.wrongPage" })
    .regex(/^(0|[1-9][0-9]{0,8})$/, "review.wrongPage")
    .transform(Number),
  baseHash: z.string({ error: "review.wrongPage" }).regex(/^[0-9a-f]{64}$/, "review.wrongPage"),
};

/** The transcription keeps its line breaks; a line sent with breaks in it is split later. */
const noForbidden = (v: string | string[] | undefined) =>
  !(Array.isArray(v) ? v : [v ?? ""]).some((t) => hasForbiddenCharacters(t, { multiline: true }));

/** Refused for the whole form: the editor shows one message above the text. */
const editChecked = <T extends { text?: string; line: string[] }>(v: T, ctx: z.RefinementCtx) => {
  if (!noForbidden(v.text) || !noForbidden(v.line))
    ctx.addIssue({ code: "custom", message: "error.controlChars", path: ["form"] });
};

const edit = {
  ...base,
  mode: z.enum(["lines", "text"]).default("lines"),
  text: z.string().optional(),
  line: repeated,
  src: repeated,
};

export const ReviewIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("claim"), pageId }),
  PageDetailsSchema.extend({ intent: z.literal("details"), pageId }),
  z.object({
    intent: z.literal("flag"),
    pageId,
    note: requiredText(1000, { multiline: true }),
  }),
  z.object({
    intent: z.literal("acknowledge"),
    pageId,
    flagId: requiredId(),
    note: requiredText(1000, { multiline: true }),
  }),
  z.object({ intent: z.literal("reopen"), pageId }),
  z.object({ intent: z.literal("keepHidden"), pageId }),
  z.object({ intent: z.literal("showAgain"), pageId }),
  z.object({ intent: z.literal("restore"), ...base, fromVersion: requiredId() }),
  z.object({ intent: z.literal("save"), ...edit }).superRefine(editChecked),
  z.object({ intent: z.literal("approve"), ...edit }).superRefine(editChecked),
  // A seed (タネ) tagged in the approved text.
  SeedCreateSchema.extend({ intent: z.literal("seed") }),
  // A suggested seed staff do not want.
  z.object({ intent: z.literal("dismissSuggestion"), pageId, suggestionId: requiredId() }),
]);

export type ReviewIntent = z.output<typeof ReviewIntentSchema>;
type EditIntent = Extract<ReviewIntent, { intent: "save" | "approve" | "restore" }>;
type TextIntent = Extract<ReviewIntent, { intent: "save" | "approve" }>;

export function baseOf(intent: EditIntent): EditBase {
  return { pageId: intent.pageId, version: intent.baseVersion, hash: intent.baseHash };
}

/** The edit: one `line` + `src` pair per line, or the whole text. */
export function editOf(intent: TextIntent): Edit {
  if (intent.mode === "text") return { text: intent.text ?? "" };
  return intent.line.map((text, i) => ({
    text,
    src: (intent.src[i] ?? "")
      .split(",")
      .filter((s) => /^\d{1,4}$/.test(s))
      .map(Number),
  }));
}

/** What the reviewer had on screen, kept for them when their save is refused. */
export function textOf(intent: TextIntent): string {
  return intent.mode === "text" ? (intent.text ?? "") : intent.line.join("\n");
}
