import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import {
  CsvFormatError,
  decodeCsvBytes,
  IMPORT_FIELDS,
  mappingFrom,
  parseCsv,
  preview,
  readCsvFile,
  summarize,
  type ImportStep,
} from "~/models/resource-import.server";
import { importResources } from "~/models/resources.server";
import { requireStaff } from "~/utils/auth.server";
import { runMutation } from "~/utils/forms.server";
import { badRequest, readForm } from "~/utils/http.server";

/** A 社協's list is a few thousand rows at most; a larger file is a mistake. */
const MAX_BYTES = 5 * 1024 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  // The field names come from the server: the CSV module (csv-parse) stays out of the browser.
  return { fields: IMPORT_FIELDS };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const by = { actor: { type: "staff" as const, staffId: ctx.staff.id }, ip: ctx.ip };
  const form = await readForm(request, { multipart: true });
  const intent = form.get("intent");
  const fail = (message: string) =>
    data({ error: message, step: null, preview: null }, { status: 400 });

  let step: ImportStep;
  if (intent === "upload") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return fail("ファイルを選んでください。");
    if (file.size > MAX_BYTES) return fail("ファイルが大きすぎます（5 MB まで）。");
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const read = readCsvFile(bytes);
      step = {
        fileName: file.name,
        encoding: read.encoding,
        csv: decodeCsvBytes(bytes).text,
        headers: read.headers,
        mapping: read.mapping,
        defaultArea: "",
      };
    } catch (error) {
      if (error instanceof CsvFormatError)
        return fail(error.line ? `${error.line}行目：${error.message}` : error.message);
      throw error;
    }
  } else if (intent === "preview" || intent === "confirm") {
    const csv = form.get("csv");
    if (typeof csv !== "string" || csv.length > MAX_BYTES * 2) badRequest();
    let headers: string[];
    try {
      headers = (parseCsv(csv)[0]?.cells ?? []).map((h) => h.trim());
    } catch {
      return fail("ファイルを読み直してください。");
    }
    step = {
      fileName: String(form.get("fileName") ?? "").slice(0, 200),
      encoding: String(form.get("encoding") ?? "").slice(0, 20),
      csv,
      headers,
      mapping: mappingFrom(form, headers.length),
      defaultArea: String(form.get("defaultArea") ?? "")
        .trim()
        .slice(0, 100),
    };
  } else {
    badRequest();
  }

  const result = await preview(step);
  if (!Object.values(step.mapping).includes("name"))
    return data(
      { error: "「名称」にあたる列を選んでください。", step, preview: summarize(result) },
      { status: 400 },
    );
  if (intent === "confirm") {
    // The rows are read again from the file's text: nothing the browser sends is trusted as rows.
    const ok = result.rows.filter((r) => r.input && !r.duplicate).map((r) => r.input!);
    const done = await runMutation(() =>
      importResources(ok, { fileName: step.fileName, encoding: step.encoding }, by),
    );
    if (!done.ok)
      return data(
        { error: "取り込める行がありません。", step, preview: summarize(result) },
        { status: 400 },
      );
    return redirect(`/resources?sort=updated&imported=${done.value.created}`);
  }
  return { error: null, step, preview: summarize(result) };
}

export default function ImportResources() {
  const result = useActionData<typeof action>();
  const { fields } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const t = useT();
  const step = result?.step ?? null;
  const p = result?.preview ?? null;
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/resources">← {t("resources.backToList")}</Link>
      </p>
      <h1>{t("resources.import.title")}</h1>
      <p className="hint">{t("resources.import.hint")}</p>
      {result?.error ? (
        <div className="alert alert--error" role="alert">
          <p>{result.error}</p>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="card stack">
        <input type="hidden" name="intent" value="upload" />
        <div className="field">
          <label htmlFor="import-file">{t("resources.import.file")}</label>
          <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <div className="actions">
          <button type="submit" disabled={navigation.state !== "idle"}>
            {t("resources.import.read")}
          </button>
        </div>
      </Form>
      {step ? (
        <Form method="post" encType="multipart/form-data" className="card stack import-step">
          <h2>{t("resources.import.mapping")}</h2>
          <p className="small muted" data-testid="import-file-info">
            {t("resources.import.fileInfo", {
              name: step.fileName,
              encoding: step.encoding === "shift_jis" ? "Shift_JIS" : "UTF-8",
            })}
          </p>
          <input type="hidden" name="csv" value={step.csv} />
          <input type="hidden" name="fileName" value={step.fileName} />
          <input type="hidden" name="encoding" value={step.encoding} />
          <table className="table mapping-table">
            <thead>
              <tr>
                <th scope="col">{t("resources.import.column")}</th>
                <th scope="col">{t("resources.import.field")}</th>
              </tr>
            </thead>
            <tbody>
              {step.headers.map((h, i) => (
                <tr key={i}>
                  <td>
                    <label htmlFor={`col-${i}`}>
                      {h || t("resources.import.noHeader", { n: i + 1 })}
                    </label>
                  </td>
                  <td>
                    <select id={`col-${i}`} name={`col-${i}`} defaultValue={step.mapping[i] ?? ""}>
                      <option value="">{t("resources.import.skip")}</option>
                      {fields.map((f) => (
                        <option key={f.field} value={f.field}>
                          {f.label}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="field">
            <label htmlFor="import-area">{t("resources.import.defaultArea")}</label>
            <input id="import-area" name="defaultArea" defaultValue={step.defaultArea} />
          </div>
          {p ? (
            <>
              <h2>{t("resources.import.preview")}</h2>
              <p data-testid="import-counts">
                {t("resources.import.counts", {
                  ok: p.counts.ok,
                  errors: p.counts.errors,
                  duplicates: p.counts.duplicates,
                })}
              </p>
              <table className="table preview-table" data-testid="import-preview">
                <thead>
                  <tr>
                    <th scope="col">{t("resources.import.line")}</th>
                    <th scope="col">{t("resources.field.name")}</th>
                    <th scope="col">{t("resources.field.area")}</th>
                    <th scope="col">{t("resources.field.address")}</th>
                    <th scope="col">{t("resources.import.result")}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.rows.map((r) => (
                    <tr
                      key={r.line}
                      className={
                        r.errors.length ? "row--error" : r.duplicate ? "row--duplicate" : undefined
                      }
                    >
                      <td>{r.line}</td>
                      <td>{r.name ?? "—"}</td>
                      <td>{r.area ?? "—"}</td>
                      <td>{r.address ?? "—"}</td>
                      <td>
                        {r.errors.length ? (
                          <ul className="list-plain field-error">
                            {r.errors.map((e) => (
                              <li key={e}>{e}</li>
                            ))}
                          </ul>
                        ) : r.duplicate ? (
                          <span>{t(`resources.import.duplicate.${r.duplicate}`)}</span>
                        ) : (
                          <span>{t("resources.import.ok")}</span>
                        )}
                        {r.warnings.map((w) => (
                          <div key={w} className="small muted">
                            {w}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {p.total > p.rows.length ? (
                <p className="small muted">
                  {t("resources.import.more", { n: p.total - p.rows.length })}
                </p>
              ) : null}
            </>
          ) : null}
          <div className="actions">
            <button
              type="submit"
              name="intent"
              value="preview"
              disabled={navigation.state !== "idle"}
            >
              {t("resources.import.refresh")}
            </button>
            <button
              type="submit"
              name="intent"
              value="confirm"
              className="button--primary"
              disabled={navigation.state !== "idle" || !p || p.counts.ok === 0}
            >
              {t("resources.import.confirm", { n: p?.counts.ok ?? 0 })}
            </button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.resourceImport");

export function ErrorBoundary() {
  return <ErrorPage />;
}
