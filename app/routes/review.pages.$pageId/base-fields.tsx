import type { EditBase } from "~/models/transcriptions.server";

/**
 * The hidden fields that tie a text edit to the page and version it was made on; the server
 * refuses the edit unless they match that page's newest version (see `EditBase`).
 */
export function BaseFields({ base }: { base: EditBase }) {
  return (
    <>
      <input type="hidden" name="pageId" value={base.pageId} />
      <input type="hidden" name="baseVersion" value={base.version} />
      <input type="hidden" name="baseHash" value={base.hash} />
    </>
  );
}
