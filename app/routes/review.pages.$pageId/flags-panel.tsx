import { Form } from "@remix-run/react";
import { Age } from "~/components/age";
import { useLang, useT } from "~/i18n/use-t";
import type { WatchFlag } from "~/models/watch.server";
import { formatDateTime } from "~/utils/dates";

/**
 * The page's 見守り flags: an aid for staff attention, never an assessment. Open flags are
 * acknowledged with a note; a flag can be raised by hand with a reason.
 */
export function FlagsPanel({
  pageId,
  flags,
  now,
}: {
  pageId: number;
  flags: WatchFlag[];
  now: number;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <section className="card card--flags" id="flags" aria-labelledby="flags-title">
      <h2 id="flags-title">{t("watch.title")}</h2>
      <p className="hint">{t("watch.aidNotAssessment")}</p>
      {flags.length === 0 ? <p className="muted">{t("watch.none")}</p> : null}
      <ul className="list-plain flags">
        {flags.map((f) => {
          return (
            <li key={f.id} className={`flag flag--${f.status}`} data-testid={`flag-${f.id}`}>
              <p>
                <span className={`badge ${f.status === "open" ? "badge--danger" : "badge--ok"}`}>
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
                  <input type="hidden" name="pageId" value={pageId} />
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
          <input type="hidden" name="pageId" value={pageId} />
          <label htmlFor="flag-note">{t("watch.raiseReason")}</label>
          <textarea id="flag-note" name="note" rows={2} required />
          <button type="submit">{t("watch.raiseSubmit")}</button>
        </Form>
      </details>
    </section>
  );
}
