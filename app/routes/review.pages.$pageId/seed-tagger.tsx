import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useT } from "~/i18n/use-t";
import { SEED_CATEGORIES } from "~/models/constants";
import { anchorFromUtf16, codePointsToUtf16, type Anchor } from "~/utils/seed-anchor";

export interface TaggerSeed {
  id: number;
  start: number;
  end: number;
  title: string;
  category: (typeof SEED_CATEGORIES)[number];
  status: string;
  needsCheck: boolean;
}

interface Props {
  pageId: number;
  version: number;
  /** The approved version's text (NFC), lines joined with "\n". */
  text: string;
  seeds: TaggerSeed[];
  defaultArea: string;
  knownTags: string[];
}

/** Pieces of the text: plain runs and seed highlights (a seed inside another is not nested). */
function pieces(text: string, seeds: TaggerSeed[]) {
  const out: Array<{ text: string; seed?: TaggerSeed }> = [];
  let at = 0;
  for (const seed of [...seeds].sort((a, b) => a.start - b.start)) {
    const start = codePointsToUtf16(text, seed.start);
    const end = codePointsToUtf16(text, seed.end);
    if (start < at) continue;
    if (start > at) out.push({ text: text.slice(at, start) });
    out.push({ text: text.slice(start, end), seed });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** UTF-16 offset of a DOM position inside `root`, counting the text as rendered. */
function offsetIn(root: HTMLElement, node: Node, offset: number) {
  const range = document.createRange();
  range.selectNodeContents(root);
  range.setEnd(node, offset);
  return range.toString().length;
}

/**
 * The approved text of a page as one selectable text, with its seeds highlighted (colour by
 * category, plus a label and an underline style, so not by colour alone). Select a phrase — with
 * the mouse, touch handles, or the keyboard (focus the text, Shift+arrows) — then 「タネにする」 or
 * the key T opens the form. The selection becomes code-point offsets into the approved version;
 * the server checks the quote against that slice.
 */
export function SeedTagger({ pageId, version, text, seeds, defaultArea, knownTags }: Props) {
  const t = useT();
  const fetcher = useFetcher<{ ok?: boolean; errors?: Record<string, string> }>();
  const root = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState<Anchor | null>(null);
  const [open, setOpen] = useState<Anchor | null>(null);
  const titleField = useRef<HTMLInputElement>(null);

  const readSelection = useCallback(() => {
    const el = root.current;
    const sel = window.getSelection();
    if (!el || !sel || sel.rangeCount === 0 || sel.isCollapsed) return setSelection(null);
    const range = sel.getRangeAt(0);
    if (!el.contains(range.startContainer) || !el.contains(range.endContainer))
      return setSelection(null);
    const start = offsetIn(el, range.startContainer, range.startOffset);
    const end = offsetIn(el, range.endContainer, range.endOffset);
    const anchor = anchorFromUtf16(text, Math.min(start, end), Math.max(start, end));
    setSelection(anchor.quote.trim() ? anchor : null);
  }, [text]);

  useEffect(() => {
    document.addEventListener("selectionchange", readSelection);
    return () => document.removeEventListener("selectionchange", readSelection);
  }, [readSelection]);

  useEffect(() => {
    if (open) titleField.current?.focus();
  }, [open]);

  // A seed saved: the form closes (the page's data, seeds included, is reloaded by Remix).
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) setOpen(null);
  }, [fetcher.state, fetcher.data]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // The text is read-only: caret movement and selection keys pass, typing does not.
    if ((e.key === "t" || e.key === "T") && selection && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      setOpen(selection);
    }
  };

  const errors = fetcher.data && !fetcher.data.ok ? (fetcher.data.errors ?? null) : null;

  return (
    <div className="seed-tagger">
      <div className="seed-tagger__bar">
        <button
          type="button"
          className="button--small"
          disabled={!selection}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => selection && setOpen(selection)}
        >
          {t("seeds.makeSeed")}
        </button>
        <span className="hint">{t("seeds.selectHint")}</span>
      </div>
      <div
        ref={root}
        className="approved-text"
        lang="ja"
        tabIndex={0}
        role="textbox"
        aria-readonly="true"
        aria-multiline="true"
        aria-label={t("seeds.approvedText")}
        contentEditable
        suppressContentEditableWarning
        spellCheck={false}
        onBeforeInput={(e) => e.preventDefault()}
        onPaste={(e) => e.preventDefault()}
        onDrop={(e) => e.preventDefault()}
        onKeyDown={onKeyDown}
        data-testid="approved-text"
      >
        {pieces(text, seeds).map((p, i) =>
          p.seed ? (
            <mark
              key={i}
              className={`seed seed--${p.seed.category}${p.seed.needsCheck ? " seed--check" : ""}`}
              title={`${p.seed.title}（${t(`seeds.category.${p.seed.category}`)}・${t(`seeds.status.${p.seed.status as "proposed"}`)}）`}
              data-seed={p.seed.id}
            >
              {p.text}
            </mark>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </div>
      {seeds.length > 0 ? (
        <ul className="seed-legend list-plain small" aria-label={t("seeds.legend")}>
          {seeds.map((s) => (
            <li key={s.id}>
              <span className={`seed seed--${s.category}`}>
                {t(`seeds.category.${s.category}`)}
              </span>{" "}
              {s.title}・{t(`seeds.status.${s.status as "proposed"}`)}
              {s.needsCheck ? <strong> {t("seeds.needsCheck")}</strong> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {open ? (
        <fetcher.Form method="post" className="card stack seed-form">
          <h3>{t("seeds.formTitle")}</h3>
          <input type="hidden" name="intent" value="seed" />
          <input type="hidden" name="pageId" value={pageId} />
          <input type="hidden" name="version" value={version} />
          <input type="hidden" name="start" value={open.start} />
          <input type="hidden" name="end" value={open.end} />
          <input type="hidden" name="quote" value={open.quote} />
          <p>
            {t("seeds.quote")}: <q className="seed-form__quote">{open.quote}</q>
          </p>
          <div className="field">
            <label htmlFor="seed-title">{t("seeds.title")}</label>
            <input id="seed-title" ref={titleField} name="title" required maxLength={100} />
            {errors?.title ? (
              <p className="field-error">{t(errors.title as "error.required")}</p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="seed-category">{t("seeds.categoryLabel")}</label>
            <select id="seed-category" name="category" defaultValue="place">
              {SEED_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`seeds.category.${c}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="seed-tags">{t("seeds.tags")}</label>
            <input id="seed-tags" name="tags" list="seed-known-tags" />
            <datalist id="seed-known-tags">
              {knownTags.map((tag) => (
                <option key={tag} value={tag} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="seed-area">{t("seeds.area")}</label>
            <input id="seed-area" name="area" defaultValue={defaultArea} />
          </div>
          <div className="field">
            <label htmlFor="seed-note">{t("seeds.note")}</label>
            <textarea id="seed-note" name="note" rows={2} />
          </div>
          {errors?.form ? (
            <p className="field-error" role="alert">
              {t(errors.form as "error.invalid")}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" className="button--primary" disabled={fetcher.state !== "idle"}>
              {t("seeds.save")}
            </button>
            <button type="button" className="button--quiet" onClick={() => setOpen(null)}>
              {t("common.cancel")}
            </button>
          </div>
        </fetcher.Form>
      ) : null}
    </div>
  );
}
