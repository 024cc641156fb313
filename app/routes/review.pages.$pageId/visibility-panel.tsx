import { Form } from "@remix-run/react";
import { useLang, useT } from "~/i18n/use-t";
import { formatDateTime } from "~/utils/dates";

export interface HideStateView {
  hidden: boolean;
  hiddenAt: string | null;
  requestedBy: string | null;
  requestedAt: string | null;
  seenAt: string | null;
}

/**
 * A page hidden from its group (at the writer's request): who asked and when; staff mark the
 * request seen (the page stays hidden) or show the page again, after a confirmation.
 */
export function VisibilityPanel({ pageId, state }: { pageId: number; state: HideStateView }) {
  const t = useT();
  const lang = useLang();
  const at = formatDateTime(state.hiddenAt ?? state.requestedAt ?? "", lang);
  return (
    <section
      id="visibility"
      className="alert alert--warn"
      aria-labelledby="visibility-title"
      data-testid="visibility"
    >
      <h2 id="visibility-title">{t("visibility.title")}</h2>
      <p>
        {state.requestedAt
          ? t("visibility.hiddenByRequest", {
              name: state.requestedBy
                ? t("visibility.writer", { name: state.requestedBy })
                : t("visibility.unknownWriter"),
              at,
            })
          : t("visibility.hidden", { at })}
      </p>
      {state.seenAt ? (
        <p>{t("visibility.seen", { at: formatDateTime(state.seenAt, lang) })}</p>
      ) : null}
      <div className="actions">
        {state.requestedAt && !state.seenAt ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="pageId" value={pageId} />
            <button type="submit" name="intent" value="keepHidden">
              {t("visibility.keep")}
            </button>
          </Form>
        ) : null}
        <Form
          method="post"
          className="inline-form"
          onSubmit={(e) => {
            if (!window.confirm(t("visibility.showConfirm"))) e.preventDefault();
          }}
        >
          <input type="hidden" name="pageId" value={pageId} />
          <button type="submit" name="intent" value="showAgain" className="button--quiet">
            {t("visibility.show")}
          </button>
        </Form>
      </div>
    </section>
  );
}
