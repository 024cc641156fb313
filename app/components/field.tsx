import { useNavigation } from "@remix-run/react";
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: MessageKey;
  errorParams?: Record<string, string | number>;
  hint?: string;
  /** A filter: empty means "any", so no （任意） mark although the field is not required. */
  filter?: boolean;
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field({ label, name, error, errorParams, hint, id, filter, ...input }: FieldProps) {
  const t = useT();
  const generated = useId();
  const inputId = id ?? generated;
  const describedBy = [hint ? `${inputId}-hint` : null, error ? `${inputId}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label htmlFor={inputId}>
        {label}
        {input.required || filter ? null : (
          <span className="optional"> （{t("common.optional")}）</span>
        )}
      </label>
      {hint ? (
        <p className="hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {error ? (
        <p className="field-error" id={`${inputId}-error`}>
          {t(error, errorParams)}
        </p>
      ) : null}
    </div>
  );
}

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  name: string;
  error?: MessageKey;
  errorParams?: Record<string, string | number>;
  hint?: string;
  /** A filter: empty means "any", so no （任意） mark although the field is not required. */
  filter?: boolean;
  children: ReactNode;
}

export function SelectField({
  label,
  name,
  error,
  errorParams,
  hint,
  id,
  filter,
  children,
  ...select
}: SelectFieldProps) {
  const t = useT();
  const generated = useId();
  const selectId = id ?? generated;
  const describedBy = [hint ? `${selectId}-hint` : null, error ? `${selectId}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label htmlFor={selectId}>
        {label}
        {select.required || filter ? null : (
          <span className="optional"> （{t("common.optional")}）</span>
        )}
      </label>
      {hint ? (
        <p className="hint" id={`${selectId}-hint`}>
          {hint}
        </p>
      ) : null}
      <select
        id={selectId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...select}
      >
        {children}
      </select>
      {error ? (
        <p className="field-error" id={`${selectId}-error`}>
          {t(error, errorParams)}
        </p>
      ) : null}
    </div>
  );
}

/** Errors that belong to no single field, and a summary that screen readers announce. */
export function FormErrors({
  errors,
  params,
}: {
  errors?: Partial<Record<string, MessageKey>> | null;
  /** Values for the placeholders of the form-wide message. */
  params?: Record<string, string | number> | null;
}) {
  const t = useT();
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div className="alert alert--error" role="alert">
      <p>{t("common.formErrors")}</p>
      {errors.form ? <p>{t(errors.form, params ?? undefined)}</p> : null}
    </div>
  );
}

/**
 * A success message. It waits until the page's data has been reloaded after the change it
 * announces, so that it never shows beside the old data (an action's answer arrives before the
 * revalidated loader data), and it does not linger while another submission is under way.
 */
export function Notice({ children }: { children: ReactNode }) {
  const navigation = useNavigation();
  if (navigation.state !== "idle") return null;
  return (
    <div className="alert alert--ok" role="status">
      {children}
    </div>
  );
}
