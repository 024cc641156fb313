import {
  data,
  redirect,
  type SerializeFrom,
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
import { ErrorPage } from "~/components/error-page";
import { FormErrors, Notice } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { listMembers } from "~/models/group-members.server";
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
  reopenPage,
  restoreVersion,
  saveTranscription,
  type ApproveOutcome,
  type SaveOutcome,
} from "~/models/page-lifecycle.server";
import {
  compareVersions,
  getEditBase,
  getLatestVersion,
  listVersions,
  updatePageDetails,
} from "~/models/transcriptions.server";
import {
  dismissSuggestion,
  ensureSuggestions,
  listOpenSuggestions,
  suggestInBackground,
} from "~/models/seed-suggestions.server";
import { getHideState, keepHidden, showAgain } from "~/models/page-visibility.server";
import { createSeed, getSeedTagging } from "~/models/seeds.server";
import { acknowledgeFlag, listFlagsForPage, raiseManualFlag } from "~/models/watch.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";
import { ConflictPanel } from "./conflict-panel";
import { ReviewIntentSchema, baseOf, editOf, textOf } from "./intents.server";
import { DetailsPanel } from "./details-panel";
import { FlagsPanel } from "./flags-panel";
import { HistoryPanel } from "./history-panel";
import { LineEditor } from "./line-editor";
import { VisibilityPanel } from "./visibility-panel";
import { SeedTagger } from "./seed-tagger";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request);
  const pageId = requireIdParam(params.pageId);
  const page = await getReviewPage(pageId);
  if (!page) notFound();
  const url = new URL(request.url);
  const [latest, versions, flags, events, claim, members, tagging, hideState] = await Promise.all([
    getLatestVersion(pageId),
    listVersions(pageId),
    listFlagsForPage(pageId),
    listPageEvents(pageId),
    getClaim(pageId),
    listMembers(page.groupId),
    page.status === "approved" ? taggingWithSuggestions(pageId) : null,
    getHideState(pageId),
  ]);
  // Compare any two versions (?a=&b=); by default the newest with the one before it.
  const a = Number(url.searchParams.get("a")) || (versions[1]?.version ?? 0);
  const b = Number(url.searchParams.get("b")) || (versions[0]?.version ?? 0);
  const comparison = a && b && a !== b ? await compareVersions(pageId, a, b) : null;
  return {
    page,
    latest: latest ? { version: latest.version, lines: latest.lines } : null,
    // What the editor's forms carry back, so that a save can only land on this page's text.
    base: await getEditBase(pageId, latest?.version ?? 0),
    versions,
    comparison,
    flags,
    events,
    claim,
    tagging,
    hideState,
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

/** The approved text with its seeds, and the suggestions (made now if the approval's are not). */
async function taggingWithSuggestions(pageId: number) {
  await ensureSuggestions(pageId);
  const [tagging, suggestions] = await Promise.all([
    getSeedTagging(pageId),
    listOpenSuggestions(pageId),
  ]);
  return tagging ? { ...tagging, suggestions } : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const pageId = requireIdParam(params.pageId);
  const page = await getReviewPage(pageId);
  if (!page) notFound();
  const by = { actor: { type: "staff" as const, staffId: ctx.staff.id }, ip: ctx.ip };
  const form = await readForm(request);
  const url = new URL(request.url);
  const parsed = parseForm(ReviewIntentSchema, form);
  if (parsed.errors) {
    if (parsed.errors.intent) throw new Response("Bad Request", { status: 400 });
    const stale = parsed.errors.pageId || parsed.errors.baseVersion || parsed.errors.baseHash;
    return invalid(stale ? { form: "review.wrongPage" } : parsed.errors, { form });
  }
  const intent = parsed.data;
  // Every form of the editor names its page: one left over from another page changes nothing.
  if (intent.pageId !== pageId) return invalid({ form: "review.wrongPage" }, { form });

  switch (intent.intent) {
    case "claim":
      return data({ ok: true as const, claim: await claimPage(pageId, ctx.staff.id) });
    case "details": {
      const { intent: _intent, pageId: _pageId, ...details } = intent;
      const result = await runMutation(() => updatePageDetails(pageId, details, by), form);
      if (!result.ok) return result.response;
      return data({ ok: true as const, notice: "review.detailsSaved" as const });
    }
    case "flag":
    case "acknowledge": {
      const result = await runMutation(
        () =>
          intent.intent === "flag"
            ? raiseManualFlag(pageId, intent.note, by)
            : acknowledgeFlag(pageId, intent.flagId, intent.note, by),
        form,
      );
      if (!result.ok) return result.response;
      return data({
        ok: true as const,
        notice:
          intent.intent === "flag" ? ("watch.raised" as const) : ("watch.acknowledged" as const),
      });
    }
    case "seed": {
      // The page is the one in the address, whatever the form says.
      const { intent: _intent, ...input } = intent;
      const result = await runMutation(() => createSeed({ ...input, pageId }, by), form);
      if (!result.ok) return result.response;
      return data({ ok: true as const, notice: "seeds.saved" as const });
    }
    case "dismissSuggestion": {
      const result = await runMutation(
        () => dismissSuggestion(pageId, intent.suggestionId, by),
        form,
      );
      if (!result.ok) return result.response;
      return data({ ok: true as const, notice: "seeds.suggestionDismissed" as const });
    }
    case "keepHidden":
    case "showAgain": {
      const result = await runMutation(
        () => (intent.intent === "keepHidden" ? keepHidden(pageId, by) : showAgain(pageId, by)),
        form,
      );
      if (!result.ok) return result.response;
      return data({
        ok: true as const,
        notice:
          intent.intent === "keepHidden"
            ? ("visibility.kept" as const)
            : ("visibility.shownAgain" as const),
      });
    }
    case "reopen": {
      const result = await runMutation(() => reopenPage(pageId, by), form);
      if (!result.ok) return result.response;
      return data({ ok: true as const, notice: "review.reopened" as const });
    }
    case "restore": {
      const result = await runMutation(
        () => restoreVersion(pageId, intent.fromVersion, baseOf(intent), by),
        form,
      );
      if (!result.ok) return result.response;
      if (result.value.status === "conflict")
        return data({ ok: false as const, conflict: result.value, mine: null }, { status: 409 });
      return data({ ok: true as const, notice: "review.restored" as const });
    }
    case "save":
    case "approve": {
      const result = await runMutation(
        (): Promise<SaveOutcome | ApproveOutcome> =>
          intent.intent === "save"
            ? saveTranscription(pageId, baseOf(intent), editOf(intent), by)
            : approvePage(pageId, baseOf(intent), editOf(intent), by),
        form,
      );
      if (!result.ok) return result.response;
      const outcome = result.value;
      if (outcome.status === "conflict")
        return data(
          { ok: false as const, conflict: outcome, mine: textOf(intent) },
          { status: 409 },
        );
      if (outcome.status === "approved") {
        // Candidate seeds are looked for while the reviewer moves on.
        suggestInBackground(pageId);
        const filters = parseQueueFilters(url.searchParams);
        const search = queueSearch(filters);
        const next = await findNextPage(filters, ctx.staff.id, pageId);
        if (next) {
          await claimPage(next, ctx.staff.id);
          return redirect(`/review/pages/${next}${search}`);
        }
        return redirect(`/review${search ? `${search}&` : "?"}done=1`);
      }
      return data({
        ok: true as const,
        notice:
          outcome.status === "saved" ? ("review.saved" as const) : ("review.unchanged" as const),
        version: outcome.version,
      });
    }
  }
}

export default function ReviewPageRoute() {
  const data = useLoaderData<typeof loader>();
  // Everything the editor holds (lines, details, focus, unsaved state) belongs to one page: a
  // client-side move to another page ("approve and next", links) starts from that page's data.
  return <PageReview key={data.page.id} data={data} />;
}

function PageReview({ data }: { data: SerializeFrom<typeof loader> }) {
  const {
    page,
    latest,
    base,
    versions,
    comparison,
    flags,
    events,
    claim,
    me,
    members,
    search,
    mode,
  } = data;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const lang = useLang();
  const heartbeat = useFetcher<typeof action>();
  const focus = useRef<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const now = Date.parse(data.now);
  const editable = page.status === "needs_review" || page.status === "ocr_failed";

  // Opening the editor claims the page (so the queue shows who is on it); renewed while open.
  useEffect(() => {
    if (!editable) return;
    const claim = () =>
      heartbeat.submit({ intent: "claim", pageId: String(page.id) }, { method: "post" });
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
  // The heartbeat answers with the page's claim as it is now (it reloads nothing else).
  const heldBy = heartbeat.data && "claim" in heartbeat.data ? heartbeat.data.claim : claim;
  const otherReviewer = heldBy && heldBy.staffId !== me ? heldBy : null;
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
      <FormErrors
        errors={errors}
        params={actionData && "params" in actionData ? actionData.params : null}
      />
      {conflict ? <ConflictPanel pageId={page.id} conflict={conflict} /> : null}

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
                <input type="hidden" name="pageId" value={page.id} />
                <button type="submit" name="intent" value="reopen">
                  {t("review.reopen")}
                </button>
              </Form>
            </div>
          ) : null}
          {data.hideState?.hidden ? (
            <VisibilityPanel pageId={page.id} state={data.hideState} />
          ) : null}
          {page.status === "ocr_failed" ? (
            <p className="alert alert--warn">{t("review.ocrFailedType")}</p>
          ) : null}
          <LineEditor
            key={`${page.id}-${latest?.version ?? 0}-${page.status}`}
            pageId={page.id}
            base={base}
            imageAlt={t("review.imageAlt", { n: page.pageNumber })}
            width={page.width}
            height={page.height}
            rotation={page.rotation}
            crop={page.crop}
            baseLines={latest?.lines ?? []}
            editable={editable}
            initialFocus={conflict ? null : focus.current}
            initialMode={mode}
            onFocusLine={onFocusLine}
            onDirtyChange={setDirty}
            canApprove={editable}
            readView={
              data.tagging ? (
                <SeedTagger
                  pageId={page.id}
                  version={data.tagging.version}
                  text={data.tagging.text}
                  seeds={data.tagging.seeds}
                  defaultArea={data.tagging.area}
                  knownTags={data.tagging.knownTags}
                  suggestions={data.tagging.suggestions}
                />
              ) : undefined
            }
          />
        </>
      )}

      <div className="grid review-panels">
        <DetailsPanel
          page={page}
          members={members}
          errors={errors}
          errorParams={actionData && "params" in actionData ? actionData.params : null}
        />
        <HistoryPanel
          page={page}
          versions={versions}
          base={editable && latest ? base : null}
          comparison={comparison}
          events={events}
          search={search}
        />
        <FlagsPanel pageId={page.id} flags={flags} now={now} />
      </div>
    </div>
  );
}

// After a refused save (409) the page must show the newer version the other reviewer saved;
// Remix does not reload data after 4xx answers by default. The claim heartbeat changes nothing
// the editor shows, so it reloads nothing while the editor stays on its page: a reload of this
// page still in flight when 「承認して次へ」 lands could otherwise put this page's data under the
// next page's address. But when the heartbeat's answer comes while a move to another page is
// loading, the router finishes that move with what the heartbeat reloads (and drops the move's
// own request): there the next page's loader must run, or the old page would stand under the
// new address (test/e2e/review-claim-race.spec.ts).
export const shouldRevalidate: ShouldRevalidateFunction = ({
  actionStatus,
  formData,
  currentUrl,
  nextUrl,
  defaultShouldRevalidate,
}) => {
  if (formData?.get("intent") === "claim") return currentUrl.pathname !== nextUrl.pathname;
  return actionStatus === 409 || defaultShouldRevalidate;
};

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.reviewPage");

export function ErrorBoundary() {
  return <ErrorPage />;
}
