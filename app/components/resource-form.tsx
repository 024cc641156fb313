import { Form, useNavigation } from "@remix-run/react";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";
import { SEED_CATEGORIES } from "~/models/constants";
import { RESOURCE_STATUSES, RESOURCE_VISIBILITIES } from "~/resources/types";
import { Field, FormErrors, SelectField } from "./field";
import { TagInput } from "./tag-input";

/** The form's values as strings (from the resource, or as the user sent them back). */
export type ResourceFormValues = Partial<Record<string, string>>;

function TextArea({
  name,
  label,
  value,
  error,
  hint,
  rows = 3,
}: {
  name: string;
  label: string;
  value?: string;
  error?: MessageKey;
  hint?: string;
  rows?: number;
}) {
  const t = useT();
  const id = `resource-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label htmlFor={id}>
        {label}
        <span className="optional"> （{t("common.optional")}）</span>
      </label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={value ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {t(error)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Every field of a resource (HSDS-aligned), grouped as staff think of them: what it is, where,
 * when, how to reach it, and who may see it. Used to create a resource by hand and to edit one.
 */
export function ResourceForm({
  values,
  errors,
  knownTags,
  submitLabel,
}: {
  values: ResourceFormValues;
  errors?: Partial<Record<string, MessageKey>> | null;
  knownTags: string[];
  submitLabel: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const e = (name: string) => errors?.[name];
  return (
    <Form method="post" className="stack resource-form" noValidate>
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={errors} />
      <fieldset>
        <legend>{t("resources.section.what")}</legend>
        <Field
          label={t("resources.field.name")}
          name="name"
          required
          maxLength={100}
          defaultValue={values.name}
          error={e("name")}
        />
        <Field
          label={t("resources.field.aliases")}
          name="aliases"
          hint={t("resources.hint.list")}
          defaultValue={values.aliases}
          error={e("aliases")}
        />
        <SelectField
          label={t("resources.field.category")}
          name="category"
          required
          defaultValue={values.category ?? "place"}
          error={e("category")}
        >
          {SEED_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`seeds.category.${c}`)}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <label htmlFor="resource-tags">
            {t("resources.field.tags")}
            <span className="optional"> （{t("common.optional")}）</span>
          </label>
          <TagInput
            id="resource-tags"
            name="tags"
            multiple
            known={knownTags}
            defaultValue={values.tags}
            optionsLabel={t("seeds.tagOptions")}
            describedBy="resource-tags-hint"
          />
          <p className="hint" id="resource-tags-hint">
            {t("seeds.tagsHint")}
          </p>
        </div>
        <TextArea
          name="description"
          label={t("resources.field.description")}
          hint={t("resources.hint.description")}
          value={values.description}
          error={e("description")}
        />
        <Field
          label={t("resources.field.organization")}
          name="organization"
          defaultValue={values.organization}
          error={e("organization")}
        />
      </fieldset>
      <fieldset>
        <legend>{t("resources.section.where")}</legend>
        <Field
          label={t("resources.field.area")}
          name="area"
          defaultValue={values.area}
          error={e("area")}
        />
        <Field
          label={t("resources.field.address")}
          name="address"
          defaultValue={values.address}
          error={e("address")}
        />
        <div className="field-row">
          <Field
            label={t("resources.field.lat")}
            name="lat"
            inputMode="decimal"
            hint={t("resources.hint.latLng")}
            defaultValue={values.lat}
            error={e("lat")}
          />
          <Field
            label={t("resources.field.lng")}
            name="lng"
            inputMode="decimal"
            defaultValue={values.lng}
            error={e("lng")}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("resources.section.when")}</legend>
        <Field
          label={t("resources.field.scheduleText")}
          name="scheduleText"
          hint={t("resources.hint.scheduleText")}
          defaultValue={values.scheduleText}
          error={e("scheduleText")}
        />
        <TextArea
          name="scheduleRules"
          label={t("resources.field.scheduleRules")}
          hint={t("resources.hint.scheduleRules")}
          value={values.scheduleRules}
          error={e("scheduleRules")}
          rows={2}
        />
      </fieldset>
      <fieldset>
        <legend>{t("resources.section.contact")}</legend>
        <Field
          label={t("resources.field.phone")}
          name="phone"
          type="tel"
          defaultValue={values.phone}
          error={e("phone")}
        />
        <Field
          label={t("resources.field.email")}
          name="email"
          type="email"
          defaultValue={values.email}
          error={e("email")}
        />
        <Field
          label={t("resources.field.url")}
          name="url"
          type="url"
          defaultValue={values.url}
          error={e("url")}
        />
        <TextArea
          name="eligibility"
          label={t("resources.field.eligibility")}
          value={values.eligibility}
          error={e("eligibility")}
          rows={2}
        />
        <TextArea
          name="fees"
          label={t("resources.field.fees")}
          value={values.fees}
          error={e("fees")}
          rows={2}
        />
      </fieldset>
      <fieldset>
        <legend>{t("resources.section.status")}</legend>
        <SelectField
          label={t("resources.field.status")}
          name="status"
          required
          defaultValue={values.status ?? "to_verify"}
          error={e("status")}
        >
          {RESOURCE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`resources.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("resources.field.visibility")}
          name="visibility"
          required
          hint={t("resources.hint.visibility")}
          defaultValue={values.visibility ?? "staff"}
          error={e("visibility")}
        >
          {RESOURCE_VISIBILITIES.map((v) => (
            <option key={v} value={v}>
              {t(`resources.visibility.${v}`)}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button--primary" disabled={navigation.state !== "idle"}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
