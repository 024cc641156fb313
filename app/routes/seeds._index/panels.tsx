/**
 * The decision forms of one seed in the queue: accept as a new resource, merge into a resource
 * found by a (kana-folded) search, reject with a reason. Plain forms: they work without
 * JavaScript; the queue's keys only open them.
 */
import { Form, Link } from "@remix-run/react";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";
import type { ResourceMatch, SeedQueueRow } from "~/models/seeds.server";

export const PANELS = ["accept", "merge", "reject"] as const;
export type Panel = (typeof PANELS)[number];
export const isPanel = (v: unknown): v is Panel => (PANELS as readonly unknown[]).includes(v);

const REASONS = ["identifiable", "exists", "out_of_area", "other"] as const;

type Errors = Partial<Record<string, MessageKey>> | null | undefined;

function FieldError({ id, error, params }: { id: string; error?: MessageKey; params?: Params }) {
  const t = useT();
  if (!error) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {t(error, params ?? undefined)}
    </p>
  );
}

type Params = Record<string, string | number> | null;

export function DecisionPanel({
  panel,
  seed,
  action,
  closeLink,
  q,
  results,
  search,
  errors,
  errorParams,
  values,
}: {
  panel: Panel;
  seed: Pick<SeedQueueRow, "id" | "title" | "publicAllowed">;
  action: string;
  closeLink: string;
  q: string;
  results: ResourceMatch[];
  /** The queue's filters, kept by the search form. */
  search: string;
  errors: Errors;
  errorParams: Params | undefined;
  values: Record<string, string> | null | undefined;
}) {
  const t = useT();
  const id = (name: string) => `seed-${seed.id}-${name}`;
  const consentNote = seed.publicAllowed ? null : (
    <p className="hint seed-consent" id={id("consent")}>
      {t("seeds.noConsentPublic")}
    </p>
  );
  const formError = errors?.form ? (
    <FieldError id={id("form-error")} error={errors.form} params={errorParams ?? null} />
  ) : null;
  const close = (
    <Link to={closeLink} preventScrollReset replace className="seed-panel__close">
      {t("seeds.close")}
    </Link>
  );

  if (panel === "accept") {
    return (
      <section className="seed-panel" aria-labelledby={id("title")} data-testid="accept-panel">
        <h2 id={id("title")}>{t("seeds.acceptTitle")}</h2>
        <Form method="post" action={action} preventScrollReset>
          <input type="hidden" name="intent" value="accept" />
          <input type="hidden" name="seedId" value={seed.id} />
          {formError}
          <div className="field">
            <label htmlFor={id("name")}>{t("seeds.resourceName")}</label>
            <input
              id={id("name")}
              name="name"
              defaultValue={values?.name ?? seed.title}
              autoFocus
              maxLength={100}
              aria-invalid={errors?.name ? true : undefined}
              aria-describedby={errors?.name ? id("name-error") : undefined}
            />
            <FieldError id={id("name-error")} error={errors?.name} />
          </div>
          <fieldset className="field" aria-describedby={consentNote ? id("consent") : undefined}>
            <legend>{t("seeds.visibility")}</legend>
            {(["staff", "public"] as const).map((v) => (
              <label key={v} className="choice">
                <input
                  type="radio"
                  name="visibility"
                  value={v}
                  defaultChecked={(values?.visibility ?? "staff") === v}
                  disabled={v === "public" && !seed.publicAllowed}
                />{" "}
                {t(`seeds.visibility.${v}`)}
              </label>
            ))}
            {consentNote}
            <FieldError id={id("visibility-error")} error={errors?.visibility} />
          </fieldset>
          <div className="actions">
            <button type="submit" className="button--primary">
              {t("seeds.acceptSubmit")}
            </button>
            {close}
          </div>
        </Form>
      </section>
    );
  }

  if (panel === "merge") {
    const keep = [...new URLSearchParams(search)];
    return (
      <section className="seed-panel" aria-labelledby={id("title")} data-testid="merge-panel">
        <h2 id={id("title")}>{t("seeds.mergeTitle")}</h2>
        <Form method="get" action="/seeds" preventScrollReset replace role="search">
          {keep.map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <input type="hidden" name="seed" value={seed.id} />
          <input type="hidden" name="panel" value="merge" />
          <div className="field field--inline">
            <label htmlFor={id("q")}>{t("seeds.mergeSearch")}</label>
            <input
              id={id("q")}
              name="q"
              type="search"
              defaultValue={q}
              autoFocus
              autoComplete="off"
            />
            <button type="submit">{t("seeds.mergeSearchSubmit")}</button>
          </div>
        </Form>
        {consentNote}
        {formError}
        <FieldError id={id("resource-error")} error={errors?.resourceId} />
        {q ? (
          <Form method="post" action={action} preventScrollReset>
            <input type="hidden" name="intent" value="merge" />
            <input type="hidden" name="seedId" value={seed.id} />
            {results.length === 0 ? (
              <p className="muted">{t("seeds.mergeNone")}</p>
            ) : (
              <ul className="list-plain seed-results" aria-label={t("seeds.mergeResults")}>
                {results.map((r) => {
                  const blocked = r.visibility === "public" && !seed.publicAllowed;
                  return (
                    <li key={r.id}>
                      <button
                        type="submit"
                        name="resourceId"
                        value={r.id}
                        disabled={blocked}
                        aria-describedby={blocked ? id("consent") : undefined}
                      >
                        {t("seeds.mergeInto", { name: r.name })}
                      </button>{" "}
                      <span className="small muted">
                        {t(`seeds.category.${r.category}`)}・{t(`seeds.visibility.${r.visibility}`)}
                        {r.area ? `・${r.area}` : ""}
                        {r.aliases.length > 0 ? `・${r.aliases.join("、")}` : ""}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </Form>
        ) : null}
        <div className="actions">{close}</div>
      </section>
    );
  }

  return (
    <section className="seed-panel" aria-labelledby={id("title")} data-testid="reject-panel">
      <h2 id={id("title")}>{t("seeds.rejectTitle")}</h2>
      <Form method="post" action={action} preventScrollReset>
        <input type="hidden" name="intent" value="reject" />
        <input type="hidden" name="seedId" value={seed.id} />
        {formError}
        <fieldset className="field">
          <legend>{t("seeds.rejectTitle")}</legend>
          {REASONS.map((reason, i) => (
            <label key={reason} className="choice">
              <input
                type="radio"
                name="reason"
                value={reason}
                defaultChecked={values?.reason === reason}
                autoFocus={i === 0}
              />{" "}
              {t(`seeds.reason.${reason}`)}
            </label>
          ))}
          <FieldError id={id("reason-error")} error={errors?.reason} />
        </fieldset>
        <div className="field">
          <label htmlFor={id("note")}>{t("seeds.rejectNote")}</label>
          <textarea
            id={id("note")}
            name="note"
            rows={2}
            defaultValue={values?.note ?? ""}
            aria-invalid={errors?.note ? true : undefined}
            aria-describedby={errors?.note ? id("note-error") : undefined}
          />
          <FieldError id={id("note-error")} error={errors?.note} />
        </div>
        <div className="actions">
          <button type="submit" className="button--primary">
            {t("seeds.rejectSubmit")}
          </button>
          {close}
        </div>
      </Form>
    </section>
  );
}
