import { Form } from "@remix-run/react";
import type { FieldErrors } from "~/utils/field-errors";
import { Field, FormErrors, SelectField } from "~/components/field";
import { useT } from "~/i18n/use-t";
import { AGE_BANDS, REFERRAL_TYPES } from "~/models/constants";

export interface ParticipantFormValues {
  cohortId: number | null;
  realName: string;
  penName: string;
  contact: string | null;
  ageBand: string;
  referralType: string;
  referredByParticipantId: number | null;
  referralNote: string;
  consentReadingOn: string | null;
  consentDigitisingOn: string | null;
  consentSeedsOn: string | null;
  withdrawnOn: string | null;
}

export function ParticipantForm({
  values,
  cohorts,
  referrers,
  errors,
  submitLabel,
  showWithdrawn,
}: {
  /** Stored values, or what was just submitted when the form came back with errors. */
  values: Partial<Record<keyof ParticipantFormValues, string | number | null>>;
  cohorts: { id: number; name: string }[];
  referrers: { id: number; penName: string; cohortName: string }[];
  errors?: FieldErrors;
  submitLabel: string;
  showWithdrawn: boolean;
}) {
  const t = useT();
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={errors} />
      <SelectField
        label={t("participants.cohort")}
        name="cohortId"
        required
        defaultValue={values.cohortId ?? cohorts[0]?.id ?? ""}
        error={errors?.cohortId}
      >
        {cohorts.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <Field
        label={t("participants.realName")}
        name="realName"
        required
        defaultValue={values.realName ?? ""}
        error={errors?.realName}
        autoComplete="off"
      />
      <Field
        label={t("participants.penName")}
        name="penName"
        required
        defaultValue={values.penName ?? ""}
        error={errors?.penName}
        autoComplete="off"
      />
      <Field
        label={t("participants.contact")}
        name="contact"
        hint={t("participants.contactHint")}
        defaultValue={values.contact ?? ""}
        error={errors?.contact}
        autoComplete="off"
      />
      <SelectField
        label={t("participants.ageBand")}
        name="ageBand"
        required
        defaultValue={values.ageBand ?? "unspecified"}
        error={errors?.ageBand}
      >
        {AGE_BANDS.map((a) => (
          <option key={a} value={a}>
            {t(`age.${a}`)}
          </option>
        ))}
      </SelectField>
      <fieldset>
        <legend>{t("participants.referralType")}</legend>
        <SelectField
          label={t("participants.referralType")}
          name="referralType"
          required
          defaultValue={values.referralType ?? "staff"}
          error={errors?.referralType}
        >
          {REFERRAL_TYPES.map((r) => (
            <option key={r} value={r}>
              {t(`referral.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("participants.referredBy")}
          name="referredByParticipantId"
          defaultValue={values.referredByParticipantId ?? ""}
          error={errors?.referredByParticipantId}
        >
          <option value="">{t("common.none")}</option>
          {referrers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.penName}（{r.cohortName}）
            </option>
          ))}
        </SelectField>
        <Field
          label={t("participants.referralNote")}
          name="referralNote"
          defaultValue={values.referralNote ?? ""}
          error={errors?.referralNote}
        />
      </fieldset>
      <fieldset>
        <legend>{t("participants.consents")}</legend>
        <p className="hint">{t("participants.consentHint")}</p>
        <Field
          label={t("participants.consentReading")}
          name="consentReadingOn"
          type="date"
          defaultValue={values.consentReadingOn ?? ""}
          error={errors?.consentReadingOn}
        />
        <Field
          label={t("participants.consentDigitising")}
          name="consentDigitisingOn"
          type="date"
          defaultValue={values.consentDigitisingOn ?? ""}
          error={errors?.consentDigitisingOn}
        />
        <Field
          label={t("participants.consentSeeds")}
          name="consentSeedsOn"
          type="date"
          defaultValue={values.consentSeedsOn ?? ""}
          error={errors?.consentSeedsOn}
        />
      </fieldset>
      {showWithdrawn ? (
        <Field
          label={t("participants.withdrawnOn")}
          name="withdrawnOn"
          type="date"
          hint={t("participants.withdrawnHint")}
          defaultValue={values.withdrawnOn ?? ""}
          error={errors?.withdrawnOn}
        />
      ) : null}
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}
