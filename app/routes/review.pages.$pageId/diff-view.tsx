import { useT } from "~/i18n/use-t";

type Part = { kind: "same" | "added" | "removed"; text: string };

/** A character-level difference, with additions and removals marked (not by colour alone). */
export function DiffView({ parts }: { parts: Part[] }) {
  const t = useT();
  if (parts.every((p) => p.kind === "same"))
    return <p className="muted">{t("review.noDifference")}</p>;
  return (
    <p className="diff">
      {parts.map((p, i) =>
        p.kind === "added" ? (
          <ins key={i} title={t("review.added")}>
            {p.text}
          </ins>
        ) : p.kind === "removed" ? (
          <del key={i} title={t("review.removed")}>
            {p.text}
          </del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}
