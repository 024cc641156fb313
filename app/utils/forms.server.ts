import { data } from "@remix-run/node";
import { z } from "zod";
import { isMessageKey, type MessageKey } from "~/i18n/i18n";
import type { FieldErrors } from "./field-errors";
import { isValidDateString } from "./dates";
import { codePointLength, hasForbiddenCharacters } from "./text";

export type { FieldErrors } from "./field-errors";

/** An expected refusal from a model function, carrying a catalogue key for the message. */
export class DomainError extends Error {
  constructor(
    public readonly key: MessageKey,
    public readonly field: string = "form",
    public readonly params?: Record<string, string | number>,
  ) {
    super(key);
  }
}

export function parseForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
): { data: z.output<S>; errors?: undefined } | { data?: undefined; errors: FieldErrors } {
  const values: Record<string, unknown> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    // Repeated fields (checkbox groups) become arrays.
    const existing = values[key];
    if (existing === undefined) values[key] = value;
    else values[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const result = schema.safeParse(values);
  if (result.success) return { data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= isMessageKey(issue.message) ? issue.message : "error.invalid";
  }
  return { errors };
}

interface TextOptions {
  /** A textarea: line breaks and tabs are kept. */
  multiline?: boolean;
}

/**
 * One rule for every text field: control characters and bidirectional overrides are refused
 * with a message, never stored (decision 030). Limits count code points (characters as people
 * count them), not UTF-16 units.
 */
export const requiredText = (max = 200, options: TextOptions = {}) =>
  z
    .string({ error: "error.required" })
    .trim()
    .min(1, "error.required")
    .refine((v) => codePointLength(v) <= max, "error.tooLong")
    .refine((v) => !hasForbiddenCharacters(v, options), "error.controlChars");

export const optionalText = (max = 500, options: TextOptions = {}) =>
  z
    .string()
    .trim()
    .refine((v) => codePointLength(v) <= max, "error.tooLong")
    .refine((v) => !hasForbiddenCharacters(v, options), "error.controlChars")
    .optional()
    .transform((v) => (v ? v : null));

export const requiredDate = () =>
  z
    .string({ error: "error.required" })
    .trim()
    .min(1, "error.required")
    .refine(isValidDateString, "error.date");

export const optionalDate = () =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || isValidDateString(v), "error.date")
    .transform((v) => (v ? v : null));

export const requiredId = () =>
  z
    .string({ error: "error.required" })
    .regex(/^[1-9][0-9]*$/, "error.required")
    .transform(Number);

export const optionalId = () =>
  z
    .string()
    .optional()
    .refine((v) => !v || /^[1-9][0-9]*$/.test(v), "error.invalid")
    .transform((v) => (v ? Number(v) : null));

/** UTF-16 units; the longest field, the transcription, takes 20 000 characters. */
const MAX_ECHO_LENGTH = 50_000;

/** The answer to an invalid form: nothing changed, errors shown next to the fields. */
export function invalid(
  errors: FieldErrors,
  options: { params?: Record<string, string | number>; form?: FormData } = {},
) {
  const intent = options.form?.get("intent");
  // The submitted text goes back so that a page rendered without JavaScript keeps what was typed.
  // Not a value longer than any field takes: a refused body is not sent back whole.
  const values: Record<string, string> = {};
  for (const [key, value] of options.form ?? [])
    if (typeof value === "string" && value.length <= MAX_ECHO_LENGTH) values[key] = value;
  return data(
    {
      errors,
      params: options.params ?? null,
      values,
      intent: typeof intent === "string" ? intent : null,
      ok: false as const,
    },
    { status: 400 },
  );
}

/** Runs a mutation; a DomainError becomes a 400 with the error next to its field. */
export async function runMutation<T>(
  fn: () => Promise<T>,
  form?: FormData,
): Promise<{ ok: true; value: T } | { ok: false; response: ReturnType<typeof invalid> }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof DomainError) {
      return {
        ok: false,
        response: invalid({ [error.field]: error.key }, { params: error.params, form }),
      };
    }
    throw error;
  }
}
