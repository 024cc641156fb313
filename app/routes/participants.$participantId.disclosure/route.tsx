import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { disclosureImages, getDisclosure, recordDisclosure } from "~/models/disclosure.server";
import { requireStaff } from "~/utils/auth.server";
import { localDate } from "~/utils/dates";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";
import { zipChunks, zipStream, type ZipEntry } from "~/utils/zip.server";
import { DisclosureDocument } from "./document";

/**
 * 開示: staff download everything held about one participant as a ZIP (decision 025): a folder
 * with index.html (Japanese, opens offline), data.json (the same, machine-readable) and images/.
 * A POST, because it is recorded in the audit log (counts only); the staff page's button posts
 * here with a plain form, and the browser saves the answer.
 */
/** Only a POST makes an archive; a GET (a link, a reload) is told so, after the usual check. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  throw new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, ip, staff } = await requireStaff(request);
  const id = requireIdParam(params.participantId);
  await readForm(request);
  const disclosure = await getDisclosure(id, staff.id);
  if (!disclosure) notFound();
  await recordDisclosure(id, disclosure, { actor, ip });

  const stamp = localDate(new Date(disclosure.generatedAt)).replaceAll("-", "");
  const folder = `disclosure-${id}-${stamp}`;
  const html = `<!DOCTYPE html>\n${renderToStaticMarkup(<DisclosureDocument d={disclosure} />)}`;
  async function* entries(): AsyncGenerator<ZipEntry> {
    yield { name: `${folder}/index.html`, data: Buffer.from(html, "utf8"), compress: true };
    yield {
      name: `${folder}/data.json`,
      data: Buffer.from(JSON.stringify(disclosure, null, 2), "utf8"),
      compress: true,
    };
    for await (const image of disclosureImages(id, disclosure!))
      yield { name: `${folder}/images/${image.name}`, data: image.data };
  }
  return new Response(zipStream(zipChunks(entries(), new Date(disclosure.generatedAt))), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${folder}.zip"`,
      "Cache-Control": "private, no-store",
    },
  });
}
