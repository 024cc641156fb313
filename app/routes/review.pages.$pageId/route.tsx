import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useBeforeUnload,
  useBlocker,
  useFetcher,
  useLoaderData,
  useNavigation,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { Age } from "~/components/age";
import { ErrorPage } from "~/components/error-page";
import { FormErrors, Notice } from "~/components/field";
import { useLang, useT } from "~/i18n/use-t";
import { listMembers } from "~/models/groups.server";
import {
  claimPage,
  findNextPage,
  getClaim,
  getReviewPage,
  listPageEvents,
  parseQueueFilters,
  queueSearch,
} from "~/models/review.server";
import {
  approvePage,
  compareVersions,
  getLatestVersion,
  listVersions,
  reopenPage,
  restoreVersion,
  saveTranscription,
  updatePageDetails,
  PageDetailsSchema,
  type ApproveOutcome,
  type DiffPart,
  type SaveOutcome,
} from "~/models/transcriptions.server";
import { acknowledgeFlag, listFlagsForPage, raiseManualFlag } from "~/models/watch.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { invalid, optionalId, parseForm, requiredText, runMutation } from "~/utils/forms.server";
import { notFound, requireIdParam } from "~/utils/http.server";
import type { Edit } from "~/utils/transcript";
import { DiffView } from "./diff-view";
import { LineEditor } from "./line-editor";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request);
  const pageId = requireIdParam(params.pageId);
  const page = await getReviewPage(pageId);
  if (!page) notFound();
  const url = new URL(request.url);
  const [latest, versions, flags, events, claim, members] = await Promise.all([
    getLatestVersion(pageId),
    listVersions(pageId),
    listFlagsForPage(pageId),
    listPageEvents(pageId),
    getClaim(pageId),
    listMembers(getDb(), page.groupId),
  ]);
  // Compare any two versions (?a=&b=); by default the newest with the one before it.
  const a = Number(url.searchParams.get("a")) || (versions[1]?.version ?? 0);
  const b = Number(url.searchParams.get("b")) || (versions[0]?.version ?? 0);
  const comparison = a && b && a !== b ? await compareVersions(pageId, a, b) : null;
  return {
    page,
    latest: latest ? { version: latest.version, lines: latest.lines } : null,
    versions,
    comparison,
    flags,
    events,
    claim,
    me: staff.id,
    members: members.map((m) => ({
      id: m.participantId,
      label: `${m.penName}（${m.realName}）`,
      left: m.leftOn !== null,
    })),
    search: queueSearch(parseQueueFilters(url.searchParams)),
    mode: url.searchParams.get("mode") === "text" ? ("text" as const) : ("lines" as const),
    // The server's clock, so that ages render the same on the server and in the browser.
    now: new Date().toISOString(),
  };
}

/** The edit from the form: one `line` + `src` pair per line, or the whole text. */
function editFromForm(form: FormData): Edit {
  if (form.get("mode") === "text") return { text: String(form.get("text") ?? "") };
  const srcs = form.getAll("src").map(String);
  return form.getAll("line").map((text, i) => ({
    text: String(text),
    src: (srcs[i] ?? "")
      .split(",")
      .filter((s) => /^\d{1,4}$/.test(s))
      .map(Number),
  }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const pageId = requireIdParam(params.pageId);
  const page = await getReviewPage(pageId);
  if (!page) notFound();
  const by = { actor: { type: "staff" as const, staffId: ctx.staff.id }, ip: ctx.ip };
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const search = queueSearch(parseQueueFilters(new URL(request.url).searchParams));
  const baseVersion = Number(form.get("baseVersion") ?? -1);

  if (intent === "claim") {
    return data({ ok: true as const, claim: await claimPage(pageId, ctx.staff.id) });
  }

  if (intent === "details") {
    const parsed = parseForm(PageDetailsSchema, form);
    if (parsed.errors) return invalid(parsed.errors, { form });
    const result = await runMutation(() => updatePageDetails(pageId, parsed.data, by), form);
    if (!result.ok) return result.response;
    return data({ ok: true as const, notice: "review.detailsSaved" as const });
  }

  if (intent === "flag" || intent === "acknowledge") {
    const parsed = parseForm(z.object({ note: requiredText(1000), flagId: optionalId() }), form);
    if (parsed.errors) return invalid(parsed.errors, { form });
    const { note, flagId } = parsed.data;
    const result = await runMutation(
      () =>
        intent === "flag"
          ? raiseManualFlag(pageId, note, by)
          : acknowledgeFlag(pageId, flagId ?? 0, note, by),
      form,
    );
    if (!result.ok) return result.response;
    return data({
      ok: true as const,
      notice: intent === "flag" ? ("watch.raised" as const) : ("watch.acknowledged" as const),
    });
  }

  if (intent === "reopen") {
    const result = await runMutation(() => reopenPage(pageId, by), form);
    if (!result.ok) return result.response;
    return data({ ok: true as const, notice: "review.reopened" as const });
  }

  if (!Number.isInteger(baseVersion) || baseVersion < 0)
    throw new Response("Bad Request", { status: 400 });

  if (intent === "restore") {
    const from = Number(form.get("fromVersion"));
    const result = await runMutation(() => restoreVersion(pageId, from, baseVersion, by), form);
    if (!result.ok) return result.response;
    if (result.value.status === "conflict")
      return data({ ok: false as const, conflict: result.value, mine: null }, { status: 409 });
    return data({ ok: true as const, notice: "review.restored" as const });
  }

  if (intent !== "save" && intent !== "approve") throw new Response("Bad Request", { status: 400 });
  const edit = editFromForm(form);
  const result = await runMutation(
    (): Promise<SaveOutcome | ApproveOutcome> =>
      intent === "save"
        ? saveTranscription(pageId, baseVersion, edit, by)
        : approvePage(pageId, baseVersion, edit, by),
    form,
  );
  if (!result.ok) return result.response;
  const outcome = result.value;
  if (outcome.status === "conflict") {
    const mine =
      form.get("mode") === "text"
        ? String(form.get("text") ?? "")
        : form.getAll("line").map(String).join("\n");
    return data({ ok: false as const, conflict: outcome, mine }, { status: 409 });
  }
  if (outcome.status === "approved") {
    const filters = parseQueueFilters(new URL(request.url).searchParams);
    const next = await findNextPage(filters, ctx.staff.id, pageId);
    if (next) {
      await claimPage(next, ctx.staff.id);
      return redirect(`/review/pages/${next}${search}`);
    }
    return redirect(`/review${search ? `${search}&` : "?"}done=1`);
  }
  return data({
    ok: true as const,
    notice: outcome.status === "saved" ? ("review.saved" as const) : ("review.unchanged" as const),
    version: outcome.version,
  });
}

export default function ReviewPageRoute() {
  const data = useLoaderData<typeof loader>();
  const { page, latest, versions, comparison, flags, events, claim, me, members, search, mode } =
    data;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const lang = useLang();
  const heartbeat = useFetcher();
  const focus = useRef<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const now = Date.parse(data.now);
  const editable = page.status === "needs_review" || page.status === "ocr_failed";

  // Opening the editor claims the page (so the queue shows who is on it); renewed while open.
  useEffect(() => {
    if (!editable) return;
    const claim = () => heartbeat.submit({ intent: "claim" }, { method: "post" });
    claim();
    const timer = window.setInterval(claim, 5 * 60_000);
    return () => window.clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [page.id, editable]);

  useBeforeUnload(
    useCallback(
      (e) => {
        if (dirty && navigation.state === "idle") e.preventDefault();
      },
      [dirty, navigation.state],
    ),
  );
  // Leaving the page by a link with unsaved lines asks first (submitting the editor does not).
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && navigation.state === "idle" && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(t("review.leaveUnsaved"))) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);
  const onFocusLine = useCallback((i: number | null) => {
    focus.current = i;
  }, []);

  const errors = actionData && "errors" in actionData ? actionData.errors : null;
  const conflict = actionData && "conflict" in actionData ? actionData : null;
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const otherReviewer = claim && claim.staffId !== me ? claim : null;
  const openFlags = flags.filter((f) => f.status === "open");

  return (
    <div className="review-page">
      <p className="breadcrumbs">
        <Link to={`/review${search}`}>{t("review.backToQueue")}</Link>
      </p>
      <h1>
        {t("review.pageTitle", { group: page.groupName, n: page.pageNumber })}{" "}
        <span className={`badge badge--status-${page.status}`}>
          {t(`review.status.${page.status}`)}
        </span>
      </h1>
      <p className="muted">
        {page.cohortName}・{page.notebookLabel}・
        {t("review.uploadedAt", { at: formatDateTime(page.uploadedAt, lang) })}
      </p>

      {openFlags.length > 0 ? (
        <p className="alert alert--flag" role="status">
          {t("watch.pageHasOpenFlag", { n: openFlags.length })}{" "}
          <a href="#flags">{t("watch.seeFlags")}</a>
        </p>
      ) : null}
      {otherReviewer ? (
        <p className="alert alert--warn" role="status" data-testid="claimed-by-other">
          {t("review.claimedByOther", {
            name: otherReviewer.name,
            at: formatDateTime(otherReviewer.since, lang),
          })}
        </p>
      ) : null}
      {notice ? (
        <Notice>
          {t(notice, { version: "version" in actionData! ? String(actionData.version) : "" })}
        </Notice>
      ) : null}
      <FormErrors errors={errors} />
      {conflict ? <ConflictPanel conflict={conflict} /> : null}

      {page.status === "queued" || page.status === "ocr" ? (
        <p className="alert alert--warn">{t("review.stillOcr")}</p>
      ) : (
        <>
          {page.status === "approved" ? (
            <div className="alert alert--ok">
              <p>
                {t("review.approvedBy", {
                  version: page.approvedVersion ?? "",
                  name: page.approvedBy ?? "",
                  at: formatDateTime(page.approvedAt, lang),
                })}
              </p>
              <Form method="post" className="inline-form">
                <button type="submit" name="intent" value="reopen">
                  {t("review.reopen")}
                </button>
              </Form>
            </div>
          ) : null}
          {page.status === "ocr_failed" ? (
            <p className="alert alert--warn">{t("review.ocrFailedType")}</p>
          ) : null}
          <LineEditor
            key={`${latest?.version ?? 0}-${page.status}`}
            pageId={page.id}
            imageAlt={t("review.imageAlt", { n: page.pageNumber })}
            width={page.width}
            height={page.height}
            rotation={page.rotation}
            baseVersion={latest?.version ?? 0}
            baseLines={latest?.lines ?? []}
            editable={editable}
            initialFocus={conflict ? null : focus.current}
            initialMode={mode}
            onFocusLine={onFocusLine}
            onDirtyChange={setDirty}
            canApprove={editable}
          />
        </>
      )}

      <div className="grid review-panels">
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">{t("review.details")}</h2>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="details" />
            <div className="field">
              <label htmlFor="authorId">{t("review.author")}</label>
              <select
                id="authorId"
                name="authorId"
                defaultValue={page.authorId ?? page.suggestedAuthorId ?? ""}
              >
                <option value="">{t("review.authorUnknown")}</option>
                {members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                    {m.left ? t("review.formerMember") : ""}
                    {page.authorId === null && m.id === page.suggestedAuthorId
                      ? t("review.suggested")
                      : ""}
                  </option>
                ))}
              </select>
              {errors?.authorId ? <p className="field-error">{t(errors.authorId)}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="entryDate">{t("review.entryDate")}</label>
              <input
                id="entryDate"
                type="date"
                name="entryDate"
                defaultValue={page.entryDate ?? ""}
              />
              {errors?.entryDate ? <p className="field-error">{t(errors.entryDate)}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="pageNumber">{t("review.pageNumber")}</label>
              <input
                id="pageNumber"
                type="number"
                min={1}
                name="pageNumber"
                defaultValue={page.pageNumber}
                required
              />
              {errors?.pageNumber ? <p className="field-error">{t(errors.pageNumber)}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="layout">{t("review.layout")}</label>
              <select id="layout" name="layout" defaultValue={page.layout ?? "horizontal"}>
                <option value="horizontal">{t("scan.layout.horizontal")}</option>
                <option value="vertical">{t("scan.layout.vertical")}</option>
              </select>
            </div>
            <button type="submit">{t("review.saveDetails")}</button>
          </Form>
        </section>

        <section className="card" aria-labelledby="history-title" data-testid="history">
          <h2 id="history-title">{t("review.history")}</h2>
          {versions.length === 0 ? (
            <p className="muted">{t("review.noVersions")}</p>
          ) : (
            <ol className="versions" reversed>
              {versions.map((v) => (
                <li key={v.version} data-testid={`version-${v.version}`}>
                  <strong>v{v.version}</strong>{" "}
                  {v.source === "ocr" ? t("review.sourceOcr") : (v.by ?? t("review.sourceStaff"))}・
                  {formatDateTime(v.createdAt, lang)}・{t("review.chars", { n: v.chars })}
                  {v.restoredFrom ? (
                    <> ・{t("review.restoredFrom", { n: v.restoredFrom })}</>
                  ) : null}
                  {v.version === page.approvedVersion ? (
                    <span className="badge badge--ok">{t("review.approvedVersion")}</span>
                  ) : null}
                  {editable && latest && v.version !== latest.version ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="restore" />
                      <input type="hidden" name="fromVersion" value={v.version} />
                      <input type="hidden" name="baseVersion" value={latest.version} />
                      <button type="submit" className="button--small button--quiet">
                        {t("review.restore")}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          {versions.length > 1 ? (
            <Form method="get" className="compare-form">
              {search
                ? [...new URLSearchParams(search)].map(([k, v]) => (
                    <input key={k} type="hidden" name={k} value={v} />
                  ))
                : null}
              <VersionSelect
                name="a"
                label={t("review.compareFrom")}
                versions={versions}
                value={comparison?.from}
              />{" "}
              <VersionSelect
                name="b"
                label={t("review.compareTo")}
                versions={versions}
                value={comparison?.to}
              />{" "}
              <button type="submit" className="button--small">
                {t("review.compare")}
              </button>
            </Form>
          ) : null}
          {comparison ? (
            <div data-testid="diff">
              <h3>{t("review.diffTitle", { a: comparison.from, b: comparison.to })}</h3>
              <DiffView parts={comparison.parts} />
            </div>
          ) : null}
          {events.length > 0 ? (
            <>
              <h3>{t("review.events")}</h3>
              <ul className="list-plain small">
                {events.map((e) => (
                  <li key={e.id}>
                    {formatDateTime(e.at, lang)} {e.by ?? t("review.system")}：
                    {t(eventKey(e.action))}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>

        <section className="card card--flags" id="flags" aria-labelledby="flags-title">
          <h2 id="flags-title">{t("watch.title")}</h2>
          <p className="hint">{t("watch.aidNotAssessment")}</p>
          {flags.length === 0 ? <p className="muted">{t("watch.none")}</p> : null}
          <ul className="list-plain flags">
            {flags.map((f) => {
              return (
                <li key={f.id} className={`flag flag--${f.status}`} data-testid={`flag-${f.id}`}>
                  <p>
                    <span
                      className={`badge ${f.status === "open" ? "badge--danger" : "badge--ok"}`}
                    >
                      {t(`watch.status.${f.status}`)}
                    </span>{" "}
                    {f.source === "phrase"
                      ? t("watch.byPhrase", { phrase: f.phrase ?? "", version: f.version ?? "" })
                      : t("watch.byHand", { name: f.raisedBy ?? "" })}
                    {f.status === "open" ? (
                      <>
                        ・<Age iso={f.createdAt} now={now} prefix="watch.openFor" />
                      </>
                    ) : null}
                  </p>
                  {f.source === "phrase" ? (
                    <blockquote className="flag__context">
                      …{f.contextBefore}
                      <mark>{f.matchedText}</mark>
                      {f.contextAfter}…
                    </blockquote>
                  ) : (
                    <p className="flag__context">{f.reason}</p>
                  )}
                  {f.status === "acknowledged" ? (
                    <p className="small">
                      {t("watch.acknowledgedBy", {
                        name: f.acknowledgedBy ?? "",
                        at: formatDateTime(f.acknowledgedAt, lang),
                      })}
                      ：{f.acknowledgementNote}
                    </p>
                  ) : (
                    <Form method="post" className="stack">
                      <input type="hidden" name="intent" value="acknowledge" />
                      <input type="hidden" name="flagId" value={f.id} />
                      <label htmlFor={`ack-${f.id}`}>{t("watch.ackNote")}</label>
                      <textarea
                        id={`ack-${f.id}`}
                        name="note"
                        rows={2}
                        required
                        placeholder={t("watch.ackPlaceholder")}
                      />
                      <button type="submit">{t("watch.acknowledge")}</button>
                    </Form>
                  )}
                </li>
              );
            })}
          </ul>
          <details>
            <summary>{t("watch.raise")}</summary>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="flag" />
              <label htmlFor="flag-note">{t("watch.raiseReason")}</label>
              <textarea id="flag-note" name="note" rows={2} required />
              <button type="submit">{t("watch.raiseSubmit")}</button>
            </Form>
          </details>
        </section>
      </div>
    </div>
  );
}

function VersionSelect(props: {
  name: string;
  label: string;
  versions: Array<{ version: number }>;
  value: number | undefined;
}) {
  return (
    <label>
      {props.label}{" "}
      <select name={props.name} defaultValue={props.value}>
        {props.versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
          </option>
        ))}
      </select>
    </label>
  );
}

function eventKey(action: string) {
  switch (action) {
    case "page.approve":
      return "review.event.approve" as const;
    case "page.reopen":
      return "review.event.reopen" as const;
    case "transcription.restore":
      return "review.event.restore" as const;
    case "watch_flag.open":
      return "review.event.flagOpen" as const;
    case "watch_flag.raise":
      return "review.event.flagRaise" as const;
    case "watch_flag.acknowledge":
      return "review.event.flagAck" as const;
    default:
      return "review.event.details" as const;
  }
}

function ConflictPanel({
  conflict,
}: {
  conflict: {
    conflict: {
      theirs: { version: number; by: string | null; createdAt: string };
      changes: DiffPart[];
    };
    mine: string | null;
  };
}) {
  const t = useT();
  const lang = useLang();
  const { theirs, changes } = conflict.conflict;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView({ block: "start" });
    heading.current?.focus();
  }, [conflict]);
  return (
    <section className="alert alert--error conflict" role="alert" data-testid="conflict">
      <h2 ref={heading} tabIndex={-1}>
        {t("review.conflictTitle")}
      </h2>
      <p>
        {t("review.conflictBody", {
          name: theirs.by ?? t("review.sourceOcr"),
          version: theirs.version,
          at: formatDateTime(theirs.createdAt, lang),
        })}
      </p>
      <h3>{t("review.conflictTheirChanges")}</h3>
      <DiffView parts={changes} />
      {conflict.mine !== null ? (
        <>
          <h3>{t("review.conflictMine")}</h3>
          <Form method="post" className="stack">
            <textarea
              name="text"
              defaultValue={conflict.mine}
              rows={6}
              aria-label={t("review.conflictMine")}
            />
            <input type="hidden" name="mode" value="text" />
            <input type="hidden" name="baseVersion" value={theirs.version} />
            <button type="submit" name="intent" value="save">
              {t("review.conflictSaveMine")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

// After a refused save (409) the page must show the newer version the other reviewer saved;
// Remix does not reload data after 4xx answers by default.
export const shouldRevalidate: ShouldRevalidateFunction = ({
  actionStatus,
  defaultShouldRevalidate,
}) => actionStatus === 409 || defaultShouldRevalidate;

export const meta: MetaFunction = () => [{ title: "ページの確認 | 交換日記" }];

export function ErrorBoundary() {
  return <ErrorPage />;
}
