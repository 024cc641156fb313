import { Form, useNavigation } from "@remix-run/react";
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { useT } from "~/i18n/use-t";
import type { EditBase } from "~/models/transcriptions.server";
import type { CropGeometry } from "~/utils/crop-map";
import {
  LOW_CONFIDENCE,
  editedLinesFromText,
  unionBox,
  type TranscriptLine,
} from "~/utils/transcript";
import { BaseFields } from "./base-fields";
import { ImageViewer } from "./image-viewer";

interface EditorLine {
  key: number;
  text: string;
  /** Indices of the base lines this line came from (several after a join, none when added). */
  src: number[];
}

interface LineEditorProps {
  pageId: number;
  imageAlt: string;
  width: number;
  height: number;
  rotation: number;
  /** The straightened page crop, if OCR made one (`key` changes with it). */
  crop: (CropGeometry & { key: string }) | null;
  /** The version the lines start from; sent back with every save. */
  base: EditBase;
  baseLines: TranscriptLine[];
  editable: boolean;
  /** Line to focus first (kept across saves by the route). */
  initialFocus: number | null;
  initialMode: "lines" | "text";
  onFocusLine: (index: number | null) => void;
  onDirtyChange: (dirty: boolean) => void;
  canApprove: boolean;
  /** Shown instead of the line fields when the page is not editable (the approved text). */
  readView?: ReactNode;
}

let nextKey = 1;
const fromBase = (lines: TranscriptLine[]): EditorLine[] =>
  lines.length > 0
    ? lines.map((l, i) => ({ key: nextKey++, text: l.text, src: [i] }))
    : [{ key: nextKey++, text: "", src: [] }];

/** Code points of `text` marked unsure, as pieces for display. */
function unsurePieces(text: string, unsure: number[]) {
  const set = new Set(unsure);
  return Array.from(text).map((ch, i) => ({ ch, unsure: set.has(i) }));
}

/**
 * The transcription as one text field per line beside the photo. Keyboard: Enter/↓ next line,
 * ↑ previous, Shift+Enter splits at the cursor, Backspace at the start of a line joins it to the
 * previous one (Delete at the end joins the next), Ctrl+S saves, Ctrl+Enter approves. Every
 * field is a real form field, so saving works the same without JavaScript.
 */
export function LineEditor(props: LineEditorProps) {
  const { baseLines, editable } = props;
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [lines, setLines] = useState<EditorLine[]>(() => fromBase(baseLines));
  const [mode, setMode] = useState<"lines" | "text">(props.initialMode);
  const [wholeText, setWholeText] = useState(() => baseLines.map((l) => l.text).join("\n"));
  const [active, setActive] = useState<number | null>(props.initialFocus);
  const inputs = useRef<Array<HTMLInputElement | null>>([]);
  const pendingFocus = useRef<{ index: number; caret?: number } | null>(
    props.initialFocus !== null ? { index: props.initialFocus } : null,
  );
  const form = useRef<HTMLFormElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const approveButton = useRef<HTMLButtonElement>(null);

  const baseText = baseLines.map((l) => l.text).join("\n");
  const currentText = mode === "lines" ? lines.map((l) => l.text).join("\n") : wholeText;
  const structureChanged =
    baseLines.length > 0 &&
    (lines.length !== baseLines.length ||
      lines.some((l, i) => l.src.length !== 1 || l.src[0] !== i));
  const dirty = currentText !== baseText || (mode === "lines" && structureChanged);
  const { onDirtyChange, onFocusLine } = props;
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  useEffect(() => onFocusLine(active), [active, onFocusLine]);

  useLayoutEffect(() => {
    const p = pendingFocus.current;
    if (!p || mode !== "lines") return;
    const el = inputs.current[p.index];
    if (!el) return;
    pendingFocus.current = null;
    el.focus();
    if (p.caret !== undefined) el.setSelectionRange(p.caret, p.caret);
  });

  const submit = useCallback((which: "save" | "approve") => {
    const button = which === "save" ? saveButton.current : approveButton.current;
    if (button && !button.disabled) form.current?.requestSubmit(button);
  }, []);

  // Ctrl+S / Ctrl+Enter work wherever the focus is on the page.
  useEffect(() => {
    if (!editable) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.isComposing || !(e.ctrlKey || e.metaKey)) return;
      if (e.key === "s" || e.key === "S") {
        e.preventDefault();
        submit("save");
      } else if (e.key === "Enter") {
        e.preventDefault();
        submit("approve");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editable, submit]);

  // Moving between existing lines needs no re-render, so focus at once (split, join, add and
  // delete go through pendingFocus, since the line only exists after the next render).
  const focusLine = (index: number) => {
    setActive(index);
    inputs.current[index]?.focus();
  };

  const update = (index: number, text: string) =>
    setLines((ls) => ls.map((l, i) => (i === index ? { ...l, text } : l)));

  const split = (index: number, at: number) => {
    setLines((ls) => {
      const l = ls[index]!;
      const first = { ...l, text: l.text.slice(0, at) };
      const second = { key: nextKey++, text: l.text.slice(at), src: l.src };
      return [...ls.slice(0, index), first, second, ...ls.slice(index + 1)];
    });
    pendingFocus.current = { index: index + 1, caret: 0 };
    setActive(index + 1);
  };

  const join = (index: number) => {
    if (index <= 0) return;
    const caret = lines[index - 1]!.text.length;
    setLines((ls) => {
      const prev = ls[index - 1]!;
      const cur = ls[index]!;
      const merged = { key: prev.key, text: prev.text + cur.text, src: [...prev.src, ...cur.src] };
      return [...ls.slice(0, index - 1), merged, ...ls.slice(index + 1)];
    });
    pendingFocus.current = { index: index - 1, caret };
    setActive(index - 1);
  };

  const addAfter = (index: number) => {
    setLines((ls) => [
      ...ls.slice(0, index + 1),
      { key: nextKey++, text: "", src: [] },
      ...ls.slice(index + 1),
    ]);
    pendingFocus.current = { index: index + 1, caret: 0 };
    setActive(index + 1);
  };

  const remove = (index: number) => {
    setLines((ls) => {
      const next = ls.filter((_, i) => i !== index);
      return next.length > 0 ? next : [{ key: nextKey++, text: "", src: [] }];
    });
    const target = Math.max(0, Math.min(index, lines.length - 2));
    pendingFocus.current = { index: target };
    setActive(target);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>, index: number) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return; // IME conversion owns Enter.
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.currentTarget;
    const start = el.selectionStart ?? 0;
    const end = el.selectionEnd ?? 0;
    if (e.key === "Enter" && e.shiftKey) {
      e.preventDefault();
      split(index, start);
    } else if (e.key === "Enter" || e.key === "ArrowDown") {
      e.preventDefault();
      if (index < lines.length - 1) focusLine(index + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (index > 0) focusLine(index - 1);
    } else if (e.key === "Backspace" && start === 0 && end === 0 && index > 0) {
      e.preventDefault();
      join(index);
    } else if (
      e.key === "Delete" &&
      start === el.value.length &&
      end === start &&
      index < lines.length - 1
    ) {
      e.preventDefault();
      join(index + 1);
    }
  };

  const switchMode = (to: "lines" | "text") => {
    if (to === mode) return;
    if (to === "text") setWholeText(lines.map((l) => l.text).join("\n"));
    else {
      const edited = editedLinesFromText(baseLines, wholeText);
      setLines(
        edited.length > 0
          ? edited.map((e) => ({ key: nextKey++, text: e.text, src: e.src }))
          : [{ key: nextKey++, text: "", src: [] }],
      );
    }
    setMode(to);
  };

  /** The OCR line a line still shows unchanged (its marks apply), and its box on the photo. */
  const provenance = (line: { text: string; src: number[] }) => {
    const sources = line.src.map((i) => baseLines[i]).filter((b): b is TranscriptLine => !!b);
    const base = sources.length === 1 && sources[0]!.text === line.text ? sources[0] : undefined;
    return {
      base,
      box: unionBox(sources.map((b) => b.bbox)),
      low: !!base && base.confidence !== null && base.confidence < LOW_CONFIDENCE,
    };
  };
  // In whole-text mode the photo shows the boxes of the version being edited.
  const shown =
    mode === "lines"
      ? lines.map(provenance)
      : baseLines.map((b, i) => provenance({ text: b.text, src: [i] }));

  return (
    <div className="review-layout">
      <ImageViewer
        src={`/pages/${props.pageId}/image?size=view&r=${props.rotation}`}
        alt={props.imageAlt}
        width={props.width}
        height={props.height}
        crop={
          props.crop && {
            ...props.crop,
            src: `/pages/${props.pageId}/image?size=crop&c=${props.crop.key}`,
          }
        }
        boxes={shown}
        active={mode === "lines" ? active : null}
        onSelect={(i) => {
          if (mode === "lines") focusLine(i);
        }}
      />
      {!editable && props.readView ? (
        // The approved text as one selectable text (seeds are tagged there), outside the form.
        <div className="line-editor">{props.readView}</div>
      ) : (
        <Form method="post" ref={form} className="line-editor" aria-label={t("review.editorLabel")}>
          <BaseFields base={props.base} />
          <input type="hidden" name="mode" value={mode} />
          <div className="line-editor__bar">
            <div role="group" aria-label={t("review.mode")} className="segmented">
              <button
                type="button"
                aria-pressed={mode === "lines"}
                onClick={() => switchMode("lines")}
                className="button--small button--quiet"
              >
                {t("review.modeLines")}
              </button>
              <button
                type="button"
                aria-pressed={mode === "text"}
                onClick={() => switchMode("text")}
                className="button--small button--quiet"
              >
                {t("review.modeText")}
              </button>
            </div>
            {mode === "lines" && editable ? (
              <div role="group" aria-label={t("review.lineTools")} className="line-tools">
                {(
                  [
                    [
                      "review.split",
                      () =>
                        active !== null &&
                        split(active, inputs.current[active]?.selectionStart ?? 0),
                    ],
                    ["review.joinUp", () => active !== null && join(active)],
                    ["review.addLine", () => addAfter(active ?? lines.length - 1)],
                    ["review.deleteLine", () => active !== null && remove(active)],
                  ] as const
                ).map(([label, run]) => (
                  <button
                    key={label}
                    type="button"
                    className="button--small button--quiet"
                    // Keep the caret in the line while clicking a tool.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={run}
                  >
                    {t(label)}
                  </button>
                ))}
              </div>
            ) : null}
          </div>
          {editable ? <p className="hint">{t("review.keys")}</p> : null}
          {mode === "lines" ? (
            <ol className="lines">
              {lines.map((line, i) => {
                const { base, low } = shown[i]!;
                const showUnsure = !!base && base.unsure.length > 0;
                return (
                  <li
                    key={line.key}
                    className={`line${low ? " line--low" : ""}${i === active ? " line--active" : ""}`}
                    data-testid={`line-${i}`}
                  >
                    <label className="line__no" htmlFor={`line-${line.key}`}>
                      {i + 1}
                      {low ? (
                        <span className="badge badge--warn" title={t("review.lowConfidence")}>
                          {t("review.lowShort")}
                        </span>
                      ) : null}
                    </label>
                    <input
                      id={`line-${line.key}`}
                      ref={(el) => {
                        inputs.current[i] = el;
                      }}
                      name="line"
                      value={line.text}
                      readOnly={!editable}
                      autoComplete="off"
                      spellCheck={false}
                      lang="ja"
                      onChange={(e) => update(i, e.currentTarget.value)}
                      onFocus={() => setActive(i)}
                      onKeyDown={(e) => onKeyDown(e, i)}
                      aria-describedby={showUnsure ? `unsure-${line.key}` : undefined}
                    />
                    <input type="hidden" name="src" value={line.src.join(",")} />
                    {showUnsure ? (
                      <p className="line__unsure" id={`unsure-${line.key}`}>
                        <span className="visually-hidden">{t("review.unsureLabel")}</span>
                        {unsurePieces(base.text, base.unsure).map((p, k) =>
                          p.unsure ? <mark key={k}>{p.ch}</mark> : <span key={k}>{p.ch}</span>,
                        )}
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          ) : (
            <textarea
              name="text"
              className="whole-text"
              value={wholeText}
              readOnly={!editable}
              lang="ja"
              rows={Math.max(10, wholeText.split("\n").length + 2)}
              aria-label={t("review.modeText")}
              onChange={(e) => setWholeText(e.currentTarget.value)}
            />
          )}
          {editable ? (
            <div className="actions">
              <button type="submit" name="intent" value="save" ref={saveButton} disabled={busy}>
                {t("review.save")} <kbd>Ctrl+S</kbd>
              </button>
              <button
                type="submit"
                name="intent"
                value="approve"
                ref={approveButton}
                className="button--primary"
                disabled={busy || !props.canApprove}
              >
                {t("review.approveNext")} <kbd>Ctrl+Enter</kbd>
              </button>
            </div>
          ) : null}
        </Form>
      )}
    </div>
  );
}
