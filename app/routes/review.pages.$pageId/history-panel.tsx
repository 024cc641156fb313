import { Form } from "@remix-run/react";
import { useLang, useT } from "~/i18n/use-t";
import type { ReviewPage } from "~/models/review.server";
import type { PageEventAction } from "~/utils/audit-actions";
import type { DiffPart, EditBase, VersionSummary } from "~/models/transcriptions.server";
import { formatDateTime } from "~/utils/dates";
import { BaseFields } from "./base-fields";
import { DiffView } from "./diff-view";

/**
 * The versions of the page (restore any older one on top while the page is editable), a
 * comparison of any two, and the review decisions from the audit log.
 */
export function HistoryPanel({
  page,
  versions,
  base,
  comparison,
  events,
  search,
}: {
  page: Pick<ReviewPage, "approvedVersion">;
  versions: VersionSummary[];
  /** The newest version's base while the page can be edited; restoring builds on it. */
  base: EditBase | null;
  comparison: { from: number; to: number; parts: DiffPart[] } | null;
  events: Array<{ id: number; at: string; action: PageEventAction; by: string | null }>;
  search: string;
}) {
  const t = useT();
  const lang = useLang();
  return (
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
              {v.restoredFrom ? <> ・{t("review.restoredFrom", { n: v.restoredFrom })}</> : null}
              {v.ocrNotes.length > 0 ? (
                <span className="ocr-notes" data-testid={`ocr-notes-${v.version}`}>
                  {" "}
                  ・{t("review.ocrNotes")}: {v.ocrNotes.map((n) => t(`ocr.note.${n}`)).join("、")}
                </span>
              ) : null}
              {v.version === page.approvedVersion ? (
                <span className="badge badge--ok">{t("review.approvedVersion")}</span>
              ) : null}
              {base && v.version !== base.version ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="fromVersion" value={v.version} />
                  <BaseFields base={base} />
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
                {formatDateTime(e.at, lang)} {e.by ?? t("review.system")}：{t(eventKey(e.action))}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
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

function eventKey(action: PageEventAction) {
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
    case "page.details":
      return "review.event.details" as const;
    case "page.hide_request":
      return "review.event.hideRequest" as const;
    case "page.hide_keep":
      return "review.event.hideKeep" as const;
    case "page.show":
      return "review.event.show" as const;
  }
}
