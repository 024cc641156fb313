import type { GroupStatus } from "../../db/schema";
import { useT } from "~/i18n/use-t";

export function StatusBadge({ status }: { status: GroupStatus }) {
  const t = useT();
  return <span className={`badge badge--${status}`}>{t(`status.${status}`)}</span>;
}
