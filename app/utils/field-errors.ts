import type { MessageKey } from "~/i18n/i18n";

/** Field name → catalogue key, as returned by actions. */
export type FieldErrors = Partial<Record<string, MessageKey>>;
