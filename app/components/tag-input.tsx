import { useId, useMemo, useState, type KeyboardEvent } from "react";
import { searchKey } from "~/utils/kana-fold";

interface Props {
  id: string;
  name: string;
  /** Tags already in use, offered as completions. */
  known: string[];
  /** Several tags separated by 「、」 or commas (the last one is completed), or a single tag. */
  multiple?: boolean;
  defaultValue?: string;
  /** Accessible name of the list of completions. */
  optionsLabel: string;
  describedBy?: string;
  maxOptions?: number;
}

const SEPARATOR = /[,、，\s]+/;

/** The tag being typed: the text after the last separator (the whole value for one tag). */
function current(value: string, multiple: boolean) {
  if (!multiple) return { head: "", word: value };
  const m = /^(.*[,、，\s])?([^,、，\s]*)$/su.exec(value);
  return { head: m?.[1] ?? "", word: m?.[2] ?? value };
}

/**
 * A text field that completes tags staff already use, matching across hiragana/katakana and
 * full/half width (ｶﾌｪ, かふぇ and カフェ all find 「カフェ」): a combobox after the WAI-ARIA
 * pattern — ↓/↑ move through the completions, Enter or Tab takes one, Esc closes the list. Without
 * JavaScript it is a plain text field. Tags the user already chose are not offered again.
 */
export function TagInput({
  id,
  name,
  known,
  multiple = false,
  defaultValue = "",
  optionsLabel,
  describedBy,
  maxOptions = 8,
}: Props) {
  const listId = useId();
  const [value, setValue] = useState(defaultValue);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const keys = useMemo(() => known.map((tag) => ({ tag, key: searchKey(tag) })), [known]);

  const { head, word } = current(value, multiple);
  const chosen = new Set(
    multiple
      ? head
          .split(SEPARATOR)
          .filter(Boolean)
          .map((t) => searchKey(t))
      : [],
  );
  const wanted = searchKey(word);
  const options = wanted
    ? keys
        .filter((k) => k.key.includes(wanted) && k.key !== wanted && !chosen.has(k.key))
        // Tags that start with what was typed come first.
        .sort((a, b) => Number(!a.key.startsWith(wanted)) - Number(!b.key.startsWith(wanted)))
        .slice(0, maxOptions)
    : [];
  const expanded = open && options.length > 0;

  const take = (tag: string) => {
    setValue(multiple ? `${head}${tag}、` : tag);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!options.length) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (a + step + options.length) % options.length);
    } else if ((e.key === "Enter" || e.key === "Tab") && expanded && active >= 0) {
      e.preventDefault();
      take(options[active]!.tag);
    } else if (e.key === "Escape" && expanded) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div className="tag-input">
      <input
        id={id}
        name={name}
        value={value}
        autoComplete="off"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          setValue(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={optionsLabel}
        className="tag-input__options"
        hidden={!expanded}
      >
        {options.map((o, i) => (
          <li
            key={o.tag}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            // mousedown, not click: the field keeps the focus.
            onMouseDown={(e) => {
              e.preventDefault();
              take(o.tag);
            }}
          >
            {o.tag}
          </li>
        ))}
      </ul>
    </div>
  );
}
