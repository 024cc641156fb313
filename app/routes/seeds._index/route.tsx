import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { SeedStatus } from "../../../db/schema";
import { ErrorPage } from "~/components/error-page";
import { Notice } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { listCohorts } from "~/models/cohorts.server";
import { SEED_CATEGORIES } from "~/models/constants";
import {
  acceptSeed,
  countSeedsByStatus,
  listSeedFilterOptions,
  listSeedQueue,
  mergeSeed,
  parseSeedFilters,
  rejectSeed,
  searchResources,
  SEED_QUEUE_PAGE_SIZE,
  seedQueueSearch,
  undoLastDecision,
} from "~/models/seeds.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { invalid, parseForm, runMutation } from "~/utils/forms.server";
import { badRequest, readForm } from "~/utils/http.server";
import { SeedQueueIntentSchema } from "./intents.server";
import { DecisionPanel, isPanel, type Panel } from "./panels";
import { TagInput } from "~/components/tag-input";

// Not from the model: the browser bundle has no server modules.
const STATUSES = [
  "proposed",
  "accepted",
  "merged",
  "rejected",
] as const satisfies readonly SeedStatus[];
const DONE = ["accept", "merge", "reject", "undo", "nothing"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const { filters, order } = parseSeedFilters(url.searchParams);
  const pageNo = Math.max(1, Math.min(1000, Number(url.searchParams.get("page")) || 1));
  const panel = url.searchParams.get("panel");
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const [rows, counts, cohorts, options, results] = await Promise.all([
    listSeedQueue(filters, {
      limit: SEED_QUEUE_PAGE_SIZE + 1,
      offset: (pageNo - 1) * SEED_QUEUE_PAGE_SIZE,
      order,
    }),
    countSeedsByStatus(filters),
    listCohorts(),
    listSeedFilterOptions(),
    panel === "merge" && q ? searchResources(q) : Promise.resolve([]),
  ]);
  const done = url.searchParams.get("done");
  return {
    rows: rows.slice(0, SEED_QUEUE_PAGE_SIZE),
    hasMore: rows.length > SEED_QUEUE_PAGE_SIZE,
    pageNo,
    counts,
    filters,
    order,
    search: seedQueueSearch(filters, order),
    options: { ...options, cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })) },
    q,
    results,
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as (typeof DONE)[number]) : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const by = { actor: { type: "staff" as const, staffId: ctx.staff.id }, ip: ctx.ip };
  const form = await readForm(request);
  const parsed = parseForm(SeedQueueIntentSchema, form);
  if (parsed.errors) {
    if (parsed.errors.intent) badRequest();
    return invalid(parsed.errors, { form });
  }
  const input = parsed.data;
  // Back to the queue as it was filtered, without the open panel.
  const { filters, order } = parseSeedFilters(new URL(request.url).searchParams);
  const search = seedQueueSearch(filters, order);
  const back = (done: (typeof DONE)[number]) =>
    redirect(`/seeds?${search ? `${search}&` : ""}done=${done}`);

  switch (input.intent) {
    case "accept": {
      const result = await runMutation(
        () =>
          acceptSeed(
            input.seedId,
            { name: input.name ?? undefined, visibility: input.visibility },
            by,
          ),
        form,
      );
      return result.ok ? back("accept") : result.response;
    }
    case "merge": {
      const result = await runMutation(() => mergeSeed(input.seedId, input.resourceId, by), form);
      return result.ok ? back("merge") : result.response;
    }
    case "reject": {
      const result = await runMutation(
        () => rejectSeed(input.seedId, input.reason, input.note ?? "", by),
        form,
      );
      return result.ok ? back("reject") : result.response;
    }
    case "undo": {
      const undone = await undoLastDecision(by);
      return back(undone === null ? "nothing" : "undo");
    }
  }
}

/** Keys typed into a field are text, not commands. */
function isTyping(target: EventTarget | null) {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

export default function SeedQueue() {
  const { rows, hasMore, pageNo, counts, filters, order, search, options, q, results, done } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const submit = useSubmit();

  // The open panel: from a refused form (so its errors show), else from the address.
  const refused =
    actionData && !actionData.ok && isPanel(actionData.intent)
      ? { seedId: Number(actionData.values.seedId), panel: actionData.intent }
      : null;
  const urlPanel = params.get("panel");
  const open: { seedId: number; panel: Panel } | null =
    refused ??
    (isPanel(urlPanel) && /^[1-9][0-9]*$/.test(params.get("seed") ?? "")
      ? { seedId: Number(params.get("seed")), panel: urlPanel }
      : null);

  const initial = Math.max(
    0,
    rows.findIndex((r) => r.id === open?.seedId),
  );
  const [selected, setSelected] = useState(initial);
  const sel = Math.min(selected, Math.max(0, rows.length - 1));
  const rowRefs = useRef<Array<HTMLLIElement | null>>([]);
  const movedByKey = useRef(false);

  useEffect(() => {
    if (open)
      setSelected(
        Math.max(
          0,
          rows.findIndex((r) => r.id === open.seedId),
        ),
      );
    // Only when another seed's panel opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open?.seedId]);

  useEffect(() => {
    if (movedByKey.current) rowRefs.current[sel]?.focus();
    movedByKey.current = false;
  }, [sel]);

  const queueLink = (extra: Record<string, string>) => {
    const p = new URLSearchParams(search);
    if (pageNo > 1) p.set("page", String(pageNo));
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return `/seeds${s ? `?${s}` : ""}`;
  };
  const panelLink = (seedId: number, panel: Panel) => queueLink({ seed: String(seedId), panel });
  const closeLink = queueLink({ seed: String(rows[sel]?.id ?? "") });

  const stateRef = useRef({ rows, sel, open });
  stateRef.current = { rows, sel, open };
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      const { rows, sel, open } = stateRef.current;
      const row = rows[sel];
      switch (event.key) {
        case "j":
        case "k": {
          if (rows.length === 0) return;
          event.preventDefault();
          movedByKey.current = true;
          const next =
            event.key === "j" ? Math.min(rows.length - 1, sel + 1) : Math.max(0, sel - 1);
          if (next === sel) rowRefs.current[sel]?.focus();
          else setSelected(next);
          return;
        }
        case "a":
        case "m":
        case "r": {
          if (!row || row.status !== "proposed") return;
          event.preventDefault();
          const panel = ({ a: "accept", m: "merge", r: "reject" } as const)[event.key];
          navigate(panelLink(row.id, panel), { preventScrollReset: true, replace: true });
          return;
        }
        case "u":
          event.preventDefault();
          submit({ intent: "undo" }, { method: "post", action: queueLink({}) });
          return;
        case "Escape":
          if (!open) return;
          event.preventDefault();
          navigate(closeLink, { preventScrollReset: true, replace: true });
          return;
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const doneKey = done ? (`seeds.done.${done}` as const) : null;
  // A refusal the open panel cannot show (a seed no longer in the list, a tagging form posted
  // from elsewhere) is shown at the top, every message of it.
  const panelShown =
    open !== null && rows.some((r) => r.id === open.seedId && r.status === "proposed");
  const topErrors =
    actionData && !actionData.ok && !(refused && panelShown) ? actionData.errors : null;

  return (
    <div className="seed-queue">
      <h1>{t("seeds.queue.title")}</h1>
      {doneKey ? <Notice>{t(doneKey)}</Notice> : null}
      {topErrors ? (
        <div className="alert alert--error" role="alert">
          <p>{t("common.formErrors")}</p>
          <ul>
            {Object.entries(topErrors).map(([field, key]) =>
              key ? <li key={field}>{t(key, actionData?.params ?? undefined)}</li> : null,
            )}
          </ul>
        </div>
      ) : null}

      <ul className="counts" aria-label={t("seeds.queue.counts")}>
        {STATUSES.map((s) => {
          const p = new URLSearchParams(search);
          if (s === "proposed") p.delete("status");
          else p.set("status", s);
          const qs = p.toString();
          return (
            <li key={s} data-testid={`count-${s}`}>
              <Link
                to={`/seeds${qs ? `?${qs}` : ""}`}
                aria-current={filters.status === s ? "page" : undefined}
              >
                <strong>{counts[s]}</strong> {t(`seeds.status.${s}`)}
              </Link>
            </li>
          );
        })}
      </ul>

      <Form method="get" action="/seeds" className="filters" aria-label={t("seeds.queue.filters")}>
        <div className="field">
          <label htmlFor="f-status">{t("seeds.queue.status")}</label>
          <select id="f-status" name="status" defaultValue={filters.status}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`seeds.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-category">{t("seeds.queue.category")}</label>
          <select id="f-category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {SEED_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`seeds.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-tag">{t("seeds.queue.tag")}</label>
          <TagInput
            key={filters.tag ?? ""}
            id="f-tag"
            name="tag"
            known={options.tags}
            defaultValue={filters.tag ?? ""}
            optionsLabel={t("seeds.tagOptions")}
          />
        </div>
        <div className="field">
          <label htmlFor="f-area">{t("seeds.queue.area")}</label>
          <select id="f-area" name="area" defaultValue={filters.area ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {options.areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-cohort">{t("seeds.queue.cohort")}</label>
          <select id="f-cohort" name="cohort" defaultValue={filters.cohortId ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {options.cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-proposer">{t("seeds.queue.proposer")}</label>
          <select id="f-proposer" name="proposer" defaultValue={filters.proposerId ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {options.proposers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-order">{t("seeds.queue.order")}</label>
          <select id="f-order" name="order" defaultValue={order}>
            <option value="newest">{t("seeds.queue.newest")}</option>
            <option value="oldest">{t("seeds.queue.oldest")}</option>
          </select>
        </div>
        <button type="submit">{t("seeds.queue.apply")}</button>
      </Form>

      <div className="seed-queue__bar">
        <p className="hint" id="seed-keys">
          {t("seeds.queue.keys")}
        </p>
        <Form method="post" action={queueLink({})}>
          <input type="hidden" name="intent" value="undo" />
          <button type="submit" className="button--quiet">
            {t("seeds.undoKey")}
          </button>
        </Form>
      </div>

      {rows.length === 0 ? (
        <p className="muted">{t("seeds.queue.empty")}</p>
      ) : (
        <ol
          className="seed-list"
          aria-label={t("seeds.queue.list")}
          aria-describedby="seed-keys"
          data-testid="seed-queue"
        >
          {rows.map((r, i) => {
            const chars = Array.from(r.context.text);
            const isOpen = open?.seedId === r.id;
            return (
              <li
                key={r.id}
                ref={(el) => {
                  rowRefs.current[i] = el;
                }}
                tabIndex={-1}
                className={`seed-row${i === sel ? " seed-row--selected" : ""}`}
                aria-current={i === sel ? "true" : undefined}
                data-testid="seed-row"
                data-seed-id={r.id}
                onFocus={(e) => {
                  if (e.target === e.currentTarget) setSelected(i);
                }}
                onClick={() => setSelected(i)}
              >
                <div className="seed-row__head">
                  <strong className="seed-row__title">{r.title}</strong>
                  <span className={`badge seed-cat seed-cat--${r.category}`}>
                    {t(`seeds.category.${r.category}`)}
                  </span>
                  <span className="badge">{t(`seeds.status.${r.status}`)}</span>
                  {r.needsCheck ? (
                    <span className="badge badge--warn" data-testid="needs-check">
                      ⚠ {t("seeds.needsCheck")}
                    </span>
                  ) : null}
                  {r.resource ? (
                    <span className="seed-row__resource">
                      {t("seeds.queue.resource", { name: r.resource.name })}
                    </span>
                  ) : null}
                  {r.rejectReason ? (
                    <span className="muted">{t(`seeds.reason.${r.rejectReason}`)}</span>
                  ) : null}
                </div>
                <blockquote className="seed-row__quote" aria-label={t("seeds.queue.quoteLabel")}>
                  {r.context.clippedBefore ? "…" : null}
                  {chars.slice(0, r.context.start).join("")}
                  <mark>{chars.slice(r.context.start, r.context.end).join("")}</mark>
                  {chars.slice(r.context.end).join("")}
                  {r.context.clippedAfter ? "…" : null}
                </blockquote>
                <p className="seed-row__meta small">
                  {r.pageId !== null && r.groupName ? (
                    <Link to={`/review/pages/${r.pageId}`}>
                      {t("review.pageTitle", { group: r.groupName, n: r.pageNumber ?? 0 })}
                    </Link>
                  ) : (
                    <span>{t("seeds.queue.pageDeleted")}</span>
                  )}
                  {r.cohortName ? <span>{r.cohortName}</span> : null}
                  {r.area ? <span>{r.area}</span> : null}
                  {r.tags.length > 0 ? (
                    <span>{t("seeds.queue.tagsLabel", { tags: r.tags.join("、") })}</span>
                  ) : null}
                  <span>
                    {t("seeds.queue.proposedBy", {
                      name: r.proposerName,
                      at: formatDateTime(r.proposedAt, lang),
                    })}
                  </span>
                </p>
                {r.status === "proposed" ? (
                  <p className="seed-row__actions">
                    <Link to={panelLink(r.id, "accept")} preventScrollReset replace>
                      {t("seeds.acceptKey")}
                    </Link>
                    <Link to={panelLink(r.id, "merge")} preventScrollReset replace>
                      {t("seeds.mergeKey")}
                    </Link>
                    <Link to={panelLink(r.id, "reject")} preventScrollReset replace>
                      {t("seeds.rejectKey")}
                    </Link>
                  </p>
                ) : null}
                {isOpen && open && r.status === "proposed" ? (
                  <DecisionPanel
                    panel={open.panel}
                    seed={r}
                    action={queueLink({})}
                    closeLink={closeLink}
                    q={q}
                    results={results}
                    search={search}
                    errors={refused ? actionData?.errors : null}
                    errorParams={refused ? actionData?.params : null}
                    values={refused ? actionData?.values : null}
                  />
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      <nav className="pager" aria-label={t("seeds.queue.pager")}>
        {pageNo > 1 ? (
          <Link to={queueLink({ page: String(pageNo - 1) })}>{t("seeds.queue.prev")}</Link>
        ) : null}
        {hasMore ? (
          <Link to={queueLink({ page: String(pageNo + 1) })}>{t("seeds.queue.next")}</Link>
        ) : null}
      </nav>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.seeds");

export function ErrorBoundary() {
  return <ErrorPage />;
}
