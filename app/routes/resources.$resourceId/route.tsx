import {
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { ErrorPage } from "~/components/error-page";
import { FormErrors, Notice } from "~/components/field";
import { LocationPicker } from "~/components/location-picker";
import { ResourceForm } from "~/components/resource-form";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import {
  getResource,
  listProvenance,
  listResourceChanges,
  listResourceFilterOptions,
  ResourceInputSchema,
  updateResource,
  verifyResource,
  VerifySchema,
} from "~/models/resources.server";
import { VERIFIED_HOW } from "~/resources/types";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { badRequest, notFound, readForm, requireIdParam } from "~/utils/http.server";
import { formatScheduleRules } from "~/utils/schedule";
import { resourceFormValues } from "./form-values";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = requireIdParam(params.resourceId);
  const resource = await getResource(id);
  if (!resource) notFound();
  const [changes, provenance, options] = await Promise.all([
    listResourceChanges(id),
    listProvenance(id),
    listResourceFilterOptions(),
  ]);
  return { resource, changes, provenance, knownTags: options.tags };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const by = { actor: { type: "staff" as const, staffId: ctx.staff.id }, ip: ctx.ip };
  const id = requireIdParam(params.resourceId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "verify") {
    const parsed = parseForm(VerifySchema, form);
    if (parsed.errors) return invalid(parsed.errors, { form });
    const result = await runMutation(() => verifyResource(id, parsed.data, by), form);
    if (!result.ok) return result.response;
    return redirect(`/resources/${id}?done=verify`);
  }
  if (intent !== "save") badRequest();
  const parsed = parseForm(ResourceInputSchema, form);
  if (parsed.errors) return invalid(parsed.errors, { form });
  const result = await runMutation(() => updateResource(id, parsed.data, by), form);
  if (!result.ok) return result.response;
  return redirect(`/resources/${id}?done=save`);
}

export default function ResourcePage() {
  const { resource: r, changes, provenance, knownTags } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const done = params.get("done");
  const failed = actionData && !actionData.ok ? actionData : null;
  const errors = failed?.errors ?? null;
  const values = failed?.values ?? resourceFormValues(r, lang);
  const verifying = failed?.intent === "verify";
  return (
    <div className="resource-page">
      <p className="breadcrumbs">
        <Link to="/resources">← {t("resources.backToList")}</Link>
      </p>
      <h1>
        {r.name}{" "}
        <span className={`badge badge--resource-${r.status}`}>
          {t(`resources.status.${r.status}`)}
        </span>{" "}
        <span className="badge">{t(`resources.visibility.${r.visibility}`)}</span>
      </h1>
      {done === "save" ? <Notice>{t("resources.saved")}</Notice> : null}
      {done === "verify" ? <Notice>{t("resources.verified")}</Notice> : null}
      <div className="grid resource-layout">
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">{t("resources.summary")}</h2>
          <dl className="facts">
            <dt>{t("resources.field.category")}</dt>
            <dd>{t(`seeds.category.${r.category}`)}</dd>
            {r.tags.length ? (
              <>
                <dt>{t("resources.field.tags")}</dt>
                <dd>{r.tags.join("、")}</dd>
              </>
            ) : null}
            <dt>{t("resources.field.area")}</dt>
            <dd>{r.area || "—"}</dd>
            <dt>{t("resources.field.address")}</dt>
            <dd>{r.address || "—"}</dd>
            <dt>{t("resources.field.schedule")}</dt>
            <dd>
              {[r.scheduleText, formatScheduleRules(r.schedule, lang)].filter(Boolean).join("／") ||
                "—"}
            </dd>
            <dt>{t("resources.field.location")}</dt>
            <dd>
              {r.lat !== null && r.lng !== null ? `${r.lat}, ${r.lng}` : t("resources.noLocation")}
            </dd>
            <dt>{t("resources.field.verified")}</dt>
            <dd data-testid="verified">
              {r.verifiedOn
                ? t("resources.verifiedOn", {
                    date: formatDate(r.verifiedOn, lang),
                    how: t(`resources.how.${r.verifiedHow ?? "other"}`),
                  })
                : t("resources.neverVerified")}
            </dd>
          </dl>
          <Form method="post" className="inline-form verify-form">
            <input type="hidden" name="intent" value="verify" />
            <FormErrors errors={verifying ? errors : null} />
            <label htmlFor="verify-how">{t("resources.verifyHow")}</label>{" "}
            <select id="verify-how" name="how" defaultValue="phone">
              {VERIFIED_HOW.map((h) => (
                <option key={h} value={h}>
                  {t(`resources.how.${h}`)}
                </option>
              ))}
            </select>{" "}
            <button type="submit">{t("resources.verifyNow")}</button>
          </Form>
        </section>
        <section className="card" aria-labelledby="provenance-title" data-testid="provenance">
          <h2 id="provenance-title">{t("resources.provenance")}</h2>
          <p className="hint">{t("resources.provenanceHint")}</p>
          {provenance.length === 0 ? (
            <p className="muted">{t("resources.noProvenance")}</p>
          ) : (
            <ul className="list-plain provenance">
              {provenance.map((p) => (
                <li key={p.seedId}>
                  {p.quote === null || p.pageId === null ? (
                    <span className="muted">{t("resources.deletedPage")}</span>
                  ) : (
                    <>
                      <q>{p.quote}</q>{" "}
                      <Link to={`/review/pages/${p.pageId}`}>
                        {t("resources.pageRef", {
                          group: p.groupName ?? "",
                          n: p.pageNumber ?? "?",
                        })}
                      </Link>{" "}
                      <span className="small muted">
                        {(p.entryDate ?? p.uploadedOn)
                          ? formatDate((p.entryDate ?? p.uploadedOn)!, lang)
                          : ""}
                        ・{t(`seeds.status.${p.status as "proposed"}`)}
                      </span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="picker-title">
        <h2 id="picker-title">{t("resourceMap.picker.title")}</h2>
        <LocationPicker resourceId={r.id} />
      </section>
      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">{t("resources.edit")}</h2>
        <ResourceForm
          values={values}
          errors={verifying ? null : errors}
          knownTags={knownTags}
          submitLabel={t("common.save")}
        />
      </section>
      <section className="card" aria-labelledby="history-title" data-testid="resource-history">
        <h2 id="history-title">{t("resources.history")}</h2>
        {changes.length === 0 ? (
          <p className="muted">{t("resources.noHistory")}</p>
        ) : (
          <table className="table history-table">
            <thead>
              <tr>
                <th scope="col">{t("resources.history.at")}</th>
                <th scope="col">{t("resources.history.field")}</th>
                <th scope="col">{t("resources.history.old")}</th>
                <th scope="col">{t("resources.history.new")}</th>
                <th scope="col">{t("resources.history.by")}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.id}>
                  <td>{formatDateTime(c.at, lang)}</td>
                  <td>{t(`resources.column.${c.field}` as "resources.column.name")}</td>
                  <td className="history-value">{c.oldValue ?? "—"}</td>
                  <td className="history-value">{c.newValue ?? "—"}</td>
                  <td>
                    {c.by ?? "—"}
                    {c.source !== "edit" ? ` (${t(`resources.source.${c.source as "walk"}`)})` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.resource");

export function ErrorBoundary() {
  return <ErrorPage />;
}
