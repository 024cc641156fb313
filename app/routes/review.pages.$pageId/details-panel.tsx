import { Form } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import type { ReviewPage } from "~/models/review.server";
import type { FieldErrors } from "~/utils/field-errors";

export interface MemberOption {
  id: number;
  label: string;
  left: boolean;
}

/** Writer, entry date, page number and layout of the page; the form names its page. */
export function DetailsPanel({
  page,
  members,
  errors,
  errorParams,
}: {
  page: Pick<
    ReviewPage,
    "id" | "authorId" | "suggestedAuthorId" | "entryDate" | "pageNumber" | "layout"
  >;
  members: MemberOption[];
  errors: FieldErrors | null;
  errorParams: Record<string, string | number> | null;
}) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">{t("review.details")}</h2>
      <Form
        method="post"
        className="stack"
        // Fields take their values once: a change saved here or elsewhere shows after reload.
        key={[page.id, page.authorId, page.entryDate, page.pageNumber, page.layout].join("|")}
      >
        <input type="hidden" name="intent" value="details" />
        <input type="hidden" name="pageId" value={page.id} />
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
          <input id="entryDate" type="date" name="entryDate" defaultValue={page.entryDate ?? ""} />
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
          {errors?.pageNumber ? (
            <p className="field-error">{t(errors.pageNumber, errorParams ?? {})}</p>
          ) : null}
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
  );
}
