import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { TagInput } from "~/components/tag-input";
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

/** A candidate seed the app found in the approved text (seed-suggestions model). */
export interface TaggerSuggestion {
  id: number;
  start: number;
  end: number;
  quote: string;
  category: (typeof SEED_CATEGORIES)[number];
  source: "autolink" | "discovery";
  resource: { id: number; name: string } | null;
}

interface Props {
  pageId: number;
  version: number;
  /** The approved version's text (NFC), lines joined with "\n". */
  text: string;
  seeds: TaggerSeed[];
  defaultArea: string;
  knownTags: string[];
  suggestions: TaggerSuggestion[];
}

type Piece = { text: string; seed?: TaggerSeed; suggestion?: TaggerSuggestion };

/**
 * Pieces of the text: plain runs, seed highlights and suggestion outlines. Nothing is nested: a
 * span that overlaps one placed before it is left out, and seeds are placed before suggestions.
 */
function pieces(text: string, seeds: TaggerSeed[], suggestions: TaggerSuggestion[]) {
  const marks = [
    ...seeds.map((seed) => ({ start: seed.start, end: seed.end, piece: { seed } })),
    ...suggestions
      .filter((s) => !seeds.some((seed) => seed.start < s.end && s.start < seed.end))
      .map((suggestion) => ({
        start: suggestion.start,
        end: suggestion.end,
        piece: { suggestion },
      })),
  ].sort((a, b) => a.start - b.start);
  const out: Piece[] = [];
  let at = 0;
  for (const mark of marks) {
    const start = codePointsToUtf16(text, mark.start);
    const end = codePointsToUtf16(text, mark.end);
    if (start < at) continue;
    if (start > at) out.push({ text: text.slice(at, start) });
    out.push({ text: text.slice(start, end), ...mark.piece });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** What the form was opened with: a selection, or a suggestion (prefilled). */
interface FormSeed extends Anchor {
  suggestion?: TaggerSuggestion;
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
 * the server checks the quote against that slice. The app's suggestions are outlined (dashed)
 * in the text and listed below it, each taken (the form opens prefilled) or dismissed with one
 * key or click.
 */
export function SeedTagger({
  pageId,
  version,
  text,
  seeds,
  defaultArea,
  knownTags,
  suggestions,
}: Props) {
  const t = useT();
  const fetcher = useFetcher<{ ok?: boolean; errors?: Record<string, string> }>();
  const dismisser = useFetcher<{ ok?: boolean; errors?: Record<string, string> }>();
  const root = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState<Anchor | null>(null);
  const [open, setOpen] = useState<FormSeed | null>(null);
  const [current, setCurrent] = useState(0);
  const titleField = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const selected = suggestions[Math.min(current, suggestions.length - 1)];

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

  const openedFromSuggestion = useRef(false);
  useEffect(() => {
    if (open) openedFromSuggestion.current = Boolean(open.suggestion);
  }, [open]);

  // A seed saved: the form closes (the page's data, seeds and suggestions included, is reloaded
  // by Remix); when it came from a suggestion, the focus goes back to the list for the next one.
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) {
      if (openedFromSuggestion.current) list.current?.focus();
      setOpen(null);
    }
  }, [fetcher.state, fetcher.data]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // The text is read-only: caret movement and selection keys pass, typing does not.
    if ((e.key === "t" || e.key === "T") && selection && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      setOpen(selection);
    }
  };

  const takeSuggestion = (s: TaggerSuggestion) =>
    setOpen({ start: s.start, end: s.end, quote: s.quote, suggestion: s });
  const dismiss = (s: TaggerSuggestion) =>
    dismisser.submit(
      { intent: "dismissSuggestion", pageId, suggestionId: s.id },
      { method: "post" },
    );

  // One key per decision in the list of suggestions: j/k (or ↓/↑) move, a or Enter opens the
  // form prefilled, d or Delete dismisses.
  const onListKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!selected) return;
    const at = suggestions.indexOf(selected);
    if (e.key === "j" || e.key === "ArrowDown")
      setCurrent(Math.min(at + 1, suggestions.length - 1));
    else if (e.key === "k" || e.key === "ArrowUp") setCurrent(Math.max(at - 1, 0));
    else if (e.key === "a" || e.key === "Enter") takeSuggestion(selected);
    else if (e.key === "d" || e.key === "Delete") dismiss(selected);
    else return;
    e.preventDefault();
  };

  const errors = fetcher.data && !fetcher.data.ok ? (fetcher.data.errors ?? null) : null;
  const dismissError =
    dismisser.data && !dismisser.data.ok ? (dismisser.data.errors?.form ?? null) : null;

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
        {pieces(text, seeds, suggestions).map((p, i) =>
          p.suggestion ? (
            <mark
              key={i}
              className={`suggestion suggestion--${p.suggestion.category}${p.suggestion === selected ? " suggestion--current" : ""}`}
              title={t("seeds.suggestion.label", {
                quote: p.suggestion.quote,
                category: t(`seeds.category.${p.suggestion.category}`),
              })}
              data-suggestion={p.suggestion.id}
            >
              {p.text}
            </mark>
          ) : p.seed ? (
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
      {suggestions.length > 0 ? (
        <section className="suggestions" aria-labelledby="suggestions-title">
          <h3 id="suggestions-title">{t("seeds.suggestions", { n: suggestions.length })}</h3>
          <p className="hint" id="suggestions-hint">
            {t("seeds.suggestionsHint")}
          </p>
          <ol
            ref={list}
            className="suggestion-list list-plain"
            tabIndex={0}
            aria-labelledby="suggestions-title"
            aria-describedby="suggestions-hint"
            onKeyDown={onListKeyDown}
            data-testid="suggestions"
          >
            {suggestions.map((s) => (
              <li
                key={s.id}
                className={`suggestion-row${s === selected ? " suggestion-row--current" : ""}`}
                aria-current={s === selected ? "true" : undefined}
                data-suggestion={s.id}
              >
                <span className={`suggestion suggestion--${s.category}`}>
                  {t(`seeds.category.${s.category}`)}
                </span>{" "}
                <q>{s.quote}</q>{" "}
                <span className="small">
                  {s.resource
                    ? t("seeds.suggestion.known", { name: s.resource.name })
                    : t(`seeds.suggestion.source.${s.source}`)}
                </span>{" "}
                <span className="suggestion-row__actions">
                  <button
                    type="button"
                    className="button--small"
                    tabIndex={-1}
                    aria-label={t("seeds.suggestion.takeLabel", { quote: s.quote })}
                    onClick={() => {
                      setCurrent(suggestions.indexOf(s));
                      takeSuggestion(s);
                    }}
                  >
                    {t("seeds.suggestion.take")}
                  </button>{" "}
                  <button
                    type="button"
                    className="button--small button--quiet"
                    tabIndex={-1}
                    aria-label={t("seeds.suggestion.dismissLabel", { quote: s.quote })}
                    onClick={() => dismiss(s)}
                  >
                    {t("seeds.suggestion.dismiss")}
                  </button>
                </span>
              </li>
            ))}
          </ol>
          {dismissError ? (
            <p className="field-error" role="alert">
              {t(dismissError as "error.invalid")}
            </p>
          ) : null}
        </section>
      ) : null}
      {open ? (
        <fetcher.Form
          key={`${open.start}-${open.end}-${open.suggestion?.id ?? ""}`}
          method="post"
          className="card stack seed-form"
        >
          <h3>{t("seeds.formTitle")}</h3>
          <input type="hidden" name="intent" value="seed" />
          <input type="hidden" name="pageId" value={pageId} />
          <input type="hidden" name="version" value={version} />
          <input type="hidden" name="start" value={open.start} />
          <input type="hidden" name="end" value={open.end} />
          <input type="hidden" name="quote" value={open.quote} />
          {open.suggestion ? (
            <input type="hidden" name="suggestionId" value={open.suggestion.id} />
          ) : null}
          <p>
            {t("seeds.quote")}: <q className="seed-form__quote">{open.quote}</q>
          </p>
          <div className="field">
            <label htmlFor="seed-title">{t("seeds.title")}</label>
            <input
              id="seed-title"
              ref={titleField}
              name="title"
              required
              maxLength={100}
              defaultValue={open.suggestion ? (open.suggestion.resource?.name ?? open.quote) : ""}
            />
            {errors?.title ? (
              <p className="field-error">{t(errors.title as "error.required")}</p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="seed-category">{t("seeds.categoryLabel")}</label>
            <select
              id="seed-category"
              name="category"
              defaultValue={open.suggestion?.category ?? "place"}
            >
              {SEED_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`seeds.category.${c}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="seed-tags">{t("seeds.tags")}</label>
            <TagInput
              id="seed-tags"
              name="tags"
              multiple
              known={knownTags}
              optionsLabel={t("seeds.tagOptions")}
              describedBy="seed-tags-hint"
            />
            <p className="hint" id="seed-tags-hint">
              {t("seeds.tagsHint")}
            </p>
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
            <button
              type="button"
              className="button--quiet"
              onClick={() => {
                const from = open.suggestion;
                setOpen(null);
                if (from) list.current?.focus();
              }}
            >
              {t("common.cancel")}
            </button>
          </div>
        </fetcher.Form>
      ) : null}
    </div>
  );
}
