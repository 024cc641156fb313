import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Field, FormErrors, Notice } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import {
  ConcernPhraseSchema,
  createConcernPhrase,
  listConcernPhrases,
  updateConcernPhrase,
} from "~/models/watch.server";
import { requireAdmin } from "~/utils/auth.server";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { phrases: await listConcernPhrases() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor, ip } = await requireAdmin(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const parsed = parseForm(ConcernPhraseSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const id = Number(form.get("id"));
  const result = await runMutation(
    () =>
      intent === "update" && Number.isInteger(id) && id > 0
        ? updateConcernPhrase(id, parsed.data, { actor, ip })
        : createConcernPhrase(parsed.data, { actor, ip }),
    form,
  );
  if (!result.ok) return result.response;
  return data({
    ok: true as const,
    errors: null,
    intent: String(intent),
    values: {},
    flagsOpened: result.value.flagsOpened,
  });
}

export default function ConcernPhrases() {
  const { phrases } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const failed = actionData && !actionData.ok ? actionData : null;
  const failedId = failed?.intent === "update" ? Number(failed.values.id) : null;
  return (
    <div>
      <h1>{t("watch.phrasesTitle")}</h1>
      <p>{t("watch.phrasesIntro")}</p>
      <p className="hint">{t("watch.aidNotAssessment")}</p>
      {actionData?.ok ? (
        <Notice>
          {t("common.saved")}
          {actionData.flagsOpened > 0
            ? ` ${t("watch.recheckOpened", { n: actionData.flagsOpened })}`
            : ""}
        </Notice>
      ) : null}

      <section className="card" aria-labelledby="new-title">
        <h2 id="new-title">{t("watch.addPhrase")}</h2>
        <Form
          method="post"
          className="stack"
          key={actionData?.ok ? `saved-${phrases.length}` : "form"}
        >
          <input type="hidden" name="intent" value="create" />
          {failed && failed.intent === "create" ? <FormErrors errors={failed.errors} /> : null}
          <Field
            label={t("watch.phrase")}
            name="phrase"
            required
            maxLength={40}
            defaultValue={failed?.intent === "create" ? failed.values.phrase : ""}
            error={failed?.intent === "create" ? failed.errors.phrase : undefined}
            errorParams={failed?.params ?? undefined}
          />
          <div className="field">
            <label htmlFor="new-variants">
              {t("watch.variants")} <span className="optional">（{t("common.optional")}）</span>
            </label>
            <p className="hint" id="new-variants-hint">
              {t("watch.variantsHint")}
            </p>
            <textarea
              id="new-variants"
              name="variants"
              rows={2}
              aria-describedby="new-variants-hint"
              defaultValue={failed?.intent === "create" ? failed.values.variants : ""}
            />
          </div>
          <button type="submit">{t("watch.addPhrase")}</button>
        </Form>
      </section>

      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("watch.phrase")}</th>
              <th scope="col">{t("watch.variants")}</th>
              <th scope="col">{t("watch.active")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("common.save")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {phrases.map((p) => {
              const err = failedId === p.id ? failed : null;
              const formId = `phrase-${p.id}`;
              return (
                <tr key={p.id} className={p.active ? undefined : "row--inactive"}>
                  <td>
                    <input
                      form={formId}
                      name="phrase"
                      aria-label={t("watch.phrase")}
                      defaultValue={err ? err.values.phrase : p.phrase}
                      required
                      maxLength={40}
                      aria-invalid={err?.errors.phrase ? true : undefined}
                    />
                    {err?.errors.phrase ? (
                      <p className="field-error">{t(err.errors.phrase, err.params ?? undefined)}</p>
                    ) : null}
                  </td>
                  <td>
                    <textarea
                      form={formId}
                      name="variants"
                      aria-label={t("watch.variants")}
                      rows={Math.max(1, p.variants.length)}
                      defaultValue={err ? err.values.variants : p.variants.join("\n")}
                    />
                  </td>
                  <td>
                    <label>
                      <input
                        form={formId}
                        type="checkbox"
                        name="active"
                        value="1"
                        defaultChecked={p.active}
                      />{" "}
                      {t("watch.active")}
                    </label>
                  </td>
                  <td>
                    <Form method="post" id={formId}>
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="id" value={p.id} />
                      <button type="submit" className="button--small">
                        {t("common.save")}
                      </button>
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.concernPhrases");

export function ErrorBoundary() {
  return <ErrorPage />;
}
