import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useLang, useT } from "~/i18n/use-t";
import type { DiffPart } from "~/models/transcriptions.server";
import { formatDateTime } from "~/utils/dates";
import { BaseFields } from "./base-fields";
import { DiffView } from "./diff-view";

/**
 * A refused save: who saved in between and what they changed, and the reviewer's own text kept
 * in full, to be saved on top of the newer version only by a deliberate press.
 */
export function ConflictPanel({
  pageId,
  conflict,
}: {
  pageId: number;
  conflict: {
    conflict: {
      theirs: { version: number; by: string | null; createdAt: string; hash: string };
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
            <BaseFields base={{ pageId, version: theirs.version, hash: theirs.hash }} />
            <button type="submit" name="intent" value="save">
              {t("review.conflictSaveMine")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
