import { Form } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import type { FieldErrors } from "~/utils/field-errors";
import { useT } from "~/i18n/use-t";

type Values = Partial<
  Record<"name" | "area" | "address" | "hours" | "lat" | "lng", string | number | null>
>;

export function HealthRoomForm({
  values,
  errors,
  submitLabel,
}: {
  values: Values;
  errors?: FieldErrors;
  submitLabel: string;
}) {
  const t = useT();
  const v = (key: keyof Values) =>
    values[key] === null || values[key] === undefined ? "" : String(values[key]);
  return (
    <Form method="post" noValidate>
      <FormErrors errors={errors} />
      <Field
        label={t("rooms.name")}
        name="name"
        required
        defaultValue={v("name")}
        error={errors?.name}
      />
      <Field
        label={t("rooms.area")}
        name="area"
        required
        defaultValue={v("area")}
        error={errors?.area}
      />
      <Field
        label={t("rooms.address")}
        name="address"
        required
        defaultValue={v("address")}
        error={errors?.address}
      />
      <Field
        label={t("rooms.hours")}
        name="hours"
        defaultValue={v("hours")}
        error={errors?.hours}
      />
      <Field
        label={t("rooms.lat")}
        name="lat"
        inputMode="decimal"
        defaultValue={v("lat")}
        error={errors?.lat}
      />
      <Field
        label={t("rooms.lng")}
        name="lng"
        inputMode="decimal"
        defaultValue={v("lng")}
        error={errors?.lng}
      />
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}
