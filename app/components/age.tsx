import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";

/** How long ago `iso` was, in minutes, hours or days ("3時間前から" style via the prefix key). */
export function Age({ iso, now, prefix }: { iso: string; now: number; prefix: MessageKey }) {
  const t = useT();
  // "1分" at least: "0分前から" reads oddly.
  const minutes = Math.max(1, Math.floor((now - Date.parse(iso)) / 60_000));
  const age =
    minutes < 60
      ? t("common.minutes", { n: minutes })
      : minutes < 48 * 60
        ? t("common.hours", { n: Math.floor(minutes / 60) })
        : t("common.days", { n: Math.floor(minutes / 1440) });
  return <span title={iso}>{t(prefix, { age })}</span>;
}
