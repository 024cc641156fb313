import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useRevalidator,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { ErrorPage } from "~/components/error-page";
import { FormErrors, Notice } from "~/components/field";
import { ScanUploader } from "~/components/scan-uploader";
import type { MessageKey } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { getGroup, setGroupDefaultLayout } from "~/models/groups.server";
import {
  deletePage,
  listStationPages,
  movePage,
  rerunOcr,
  rotatePage,
  setPageLayout,
  type StationPage,
} from "~/models/pages.server";
import { requireStaff } from "~/utils/auth.server";
import { runMutation } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";
import { receivePhotos } from "~/models/uploads.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const groupId = requireIdParam(params.groupId);
  const group = await getGroup(groupId);
  if (!group) notFound();
  const pages = await listStationPages(groupId);
  return {
    group: {
      id: group.id,
      name: group.name,
      notebookLabel: group.notebookLabel,
      defaultLayout: group.default_layout,
    },
    pages,
    nextPage: (pages[0]?.pageNumber ?? 0) + 1,
  };
}

const LAYOUTS = ["auto", "horizontal", "vertical"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const groupId = requireIdParam(params.groupId);
  if (!(await getGroup(groupId))) notFound();
  const by = { actor: ctx.actor, ip: ctx.ip };
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    // Without JavaScript the photos arrive here all at once.
    const outcomes = await receivePhotos(request, groupId, ctx);
    return data(
      { ok: true as const, outcomes, errors: null },
      { status: outcomes.some((o) => o.status === "error") ? 422 : 200 },
    );
  }
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const pageId = Number(form.get("pageId"));
  const layout = LAYOUTS.find((l) => l === form.get("layout"));
  const result = await runMutation(async () => {
    switch (intent) {
      case "rotate": {
        const degrees = Number(form.get("degrees"));
        if (degrees !== 90 && degrees !== 180 && degrees !== 270)
          throw new Response("Bad Request", { status: 400 });
        return rotatePage(groupId, pageId, degrees, by);
      }
      case "layout":
        if (!layout) throw new Response("Bad Request", { status: 400 });
        return setPageLayout(groupId, pageId, layout, by);
      case "defaultLayout":
        if (!layout) throw new Response("Bad Request", { status: 400 });
        return setGroupDefaultLayout(groupId, layout, by);
      case "earlier":
      case "later":
        return movePage(groupId, pageId, intent, by);
      case "delete":
        return deletePage(groupId, pageId, by);
      case "rerun":
        return rerunOcr(groupId, pageId, by);
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  }, form);
  if (!result.ok) return result.response;
  return data({ ok: true as const, outcomes: null, errors: null });
}

/**
 * One page at the station. The list runs newest first, so the row above holds the next higher
 * page number: "↑ 上へ" swaps with it and "↓ 下へ" with the row below, as the eye sees them.
 */
function PageRow({
  page,
  above,
  below,
}: {
  page: StationPage;
  above: StationPage | undefined;
  below: StationPage | undefined;
}) {
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const failed = fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  const error = failed?.errors ?? null;
  const editable = page.status !== "approved";
  const button = (
    intent: string,
    label: MessageKey,
    extra: Record<string, string> = {},
    options: { ariaLabel?: string; disabled?: boolean } = {},
  ) => (
    <fetcher.Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="pageId" value={page.id} />
      {Object.entries(extra).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button
        type="submit"
        className="button--small button--quiet"
        disabled={busy || options.disabled}
        aria-label={options.ariaLabel}
      >
        {t(label)}
      </button>
    </fetcher.Form>
  );
  return (
    <li className="scan-page" data-testid={`page-${page.pageNumber}`} data-status={page.status}>
      <img
        className="scan-page__thumb"
        src={`/pages/${page.id}/image?size=thumb&r=${page.rotation}`}
        alt={t("scan.thumbAlt", { n: page.pageNumber })}
        width={120}
      />
      <div className="scan-page__body">
        <p className="scan-page__title">
          <strong>{t("scan.page", { n: page.pageNumber })}</strong>{" "}
          <span className={`badge badge--status-${page.status}`} data-testid="ocr-status">
            {t(`scan.status.${page.status}`)}
          </span>{" "}
          {page.status === "queued" && page.attempts > 0 ? (
            <span className="muted">{t("scan.attempt", { n: page.attempts + 1 })}</span>
          ) : null}
          {page.layout ? (
            <span className="muted"> {t(`scan.layout.${page.layout as "horizontal"}`)}</span>
          ) : null}
          {page.confidence !== null && page.status === "needs_review" ? (
            <span className="muted">
              {" "}
              ・{t("scan.confidence", { n: Math.round(page.confidence) })}
            </span>
          ) : null}
        </p>
        {page.status === "needs_review" ||
        page.status === "approved" ||
        page.status === "ocr_failed" ? (
          <p>
            <Link to={`/review/pages/${page.id}`}>{t("scan.openReview")}</Link>
          </p>
        ) : null}
        {page.status === "ocr_failed" && page.error ? (
          <p className="field-error">{t("scan.failedReason", { reason: page.error })}</p>
        ) : null}
        {error?.form ? (
          <p className="field-error" role="alert">
            {t(error.form, "params" in failed! ? (failed.params ?? {}) : {})}
          </p>
        ) : null}
        {editable ? (
          <div className="actions">
            {button("rotate", "scan.rotateLeft", { degrees: "270" })}
            {button("rotate", "scan.rotateRight", { degrees: "90" })}
            {button("rotate", "scan.rotate180", { degrees: "180" })}
            <fetcher.Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="layout" />
              <input type="hidden" name="pageId" value={page.id} />
              <label>
                {t("scan.layout")}{" "}
                <select name="layout" defaultValue={page.layoutSetting}>
                  {LAYOUTS.map((l) => (
                    <option key={l} value={l}>
                      {t(`scan.layout.${l}`)}
                    </option>
                  ))}
                </select>
              </label>{" "}
              <button type="submit" className="button--small button--quiet" disabled={busy}>
                {t("scan.setLayout")}
              </button>
            </fetcher.Form>
            {above
              ? button(
                  "later",
                  "scan.moveLater",
                  {},
                  {
                    ariaLabel: t("scan.moveLaterLabel", { n: above.pageNumber }),
                    disabled: above.status === "approved",
                  },
                )
              : null}
            {below
              ? button(
                  "earlier",
                  "scan.moveEarlier",
                  {},
                  {
                    ariaLabel: t("scan.moveEarlierLabel", { n: below.pageNumber }),
                    disabled: below.status === "approved",
                  },
                )
              : null}
            {button("rerun", "scan.rerun")}
            <fetcher.Form
              method="post"
              className="inline-form"
              onSubmit={(e) => {
                if (!window.confirm(t("scan.confirmDelete", { n: page.pageNumber })))
                  e.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="pageId" value={page.id} />
              <button type="submit" className="button--small button--quiet" disabled={busy}>
                {t("scan.delete")}
              </button>
            </fetcher.Form>
          </div>
        ) : null}
      </div>
    </li>
  );
}

export default function ScanGroup() {
  const { group, pages, nextPage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const revalidator = useRevalidator();
  const [hydrated, setHydrated] = useState(false);
  const pending = pages.filter((p) => p.status === "queued" || p.status === "ocr").length;

  useEffect(() => setHydrated(true), []);
  // Live progress: while pages wait for OCR, reload the list every 1.5 s (nothing else changes).
  useEffect(() => {
    if (pending === 0) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [pending, revalidator]);

  return (
    <div>
      <p>
        <Link to="/scan">← {t("scan.pickGroup")}</Link>
      </p>
      <h1>{t("scan.groupTitle", { group: group.name })}</h1>
      <p className="muted">
        「{group.notebookLabel}」・{t("scan.nextPage", { n: nextPage })}
      </p>
      {(actionData?.ok ? (actionData.outcomes ?? []) : []).map((o, i) =>
        o.status === "error" ? (
          <div className="alert alert--error" role="alert" key={i}>
            <p>
              {o.name ? `${o.name}: ` : ""}
              {t(o.key)}
            </p>
          </div>
        ) : (
          <Notice key={i}>
            {o.name}:{" "}
            {o.status === "added"
              ? t("scan.added", { page: o.pageNumber })
              : t("upload.duplicate", { page: o.pageNumber })}
          </Notice>
        ),
      )}
      {actionData && !actionData.ok ? (
        <FormErrors
          errors={actionData.errors}
          params={"params" in actionData ? actionData.params : null}
        />
      ) : null}
      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title" className="visually-hidden">
          {t("scan.upload")}
        </h2>
        {hydrated ? (
          <ScanUploader uploadUrl={`/scan/${group.id}/upload`} nextPage={nextPage} />
        ) : (
          <Form method="post" encType="multipart/form-data">
            <label>
              {t("scan.choose")}
              <input type="file" name="photos" accept="image/*" multiple required />
            </label>{" "}
            <button type="submit">{t("scan.upload")}</button>
          </Form>
        )}
        <Form method="post" className="filters">
          <input type="hidden" name="intent" value="defaultLayout" />
          <label>
            {t("scan.defaultLayout")}{" "}
            <select name="layout" defaultValue={group.defaultLayout}>
              {LAYOUTS.map((l) => (
                <option key={l} value={l}>
                  {t(`scan.layout.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button--small button--quiet">
            {t("scan.setLayout")}
          </button>
        </Form>
      </section>
      <section aria-labelledby="pages-title">
        <h2 id="pages-title">
          {t("scan.pages")}{" "}
          {pending > 0 ? (
            <span className="muted">（{t("scan.pending", { n: pending })}）</span>
          ) : null}
        </h2>
        <p className="muted">{t("scan.live")}</p>
        {pages.length === 0 ? (
          <p className="muted">{t("scan.noPages")}</p>
        ) : (
          <ul className="list-plain scan-pages">
            {pages.map((p, i) => (
              <PageRow key={p.id} page={p} above={pages[i - 1]} below={pages[i + 1]} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.scan");

export function ErrorBoundary() {
  return <ErrorPage />;
}
