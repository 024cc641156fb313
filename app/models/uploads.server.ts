import { addPage, type AddPageResult } from "./pages.server";
import { UploadError } from "~/storage/images.server";
import { kickOcr } from "./ocr-service.server";
import type { StaffContext } from "~/utils/auth.server";
import { mediaType } from "~/utils/http.server";

export type UploadOutcome =
  | (AddPageResult & { name: string })
  | { status: "error"; name: string; key: UploadError["key"]; httpStatus: number };

/**
 * Reads the photos of a multipart POST (field "photos") and adds each as a page. A body of another
 * type (415) or one that cannot be parsed (400) is answered as an outcome, like a bad photo.
 */
export async function receivePhotos(
  request: Request,
  groupId: number,
  ctx: StaffContext,
): Promise<UploadOutcome[]> {
  if (mediaType(request) !== "multipart/form-data") {
    return [{ status: "error", name: "", key: "upload.notMultipart", httpStatus: 415 }];
  }
  // The platform's parser, not Remix's: Remix's splits the Content-Disposition header at every
  // ";" and "=", even inside the quoted file name, and fails on 「写真;1.jpg」. The body's size
  // is bounded before this by the route's limit in app/server.ts (decision 029), and each
  // photo's by checkUpload.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    // No boundary, a truncated body: the parser's own errors, from what the client sent.
    return [{ status: "error", name: "", key: "upload.unreadable", httpStatus: 400 }];
  }
  const files = form.getAll("photos").filter((f): f is File => typeof f !== "string");
  if (files.length === 0)
    return [{ status: "error", name: "", key: "upload.noFile", httpStatus: 422 }];
  const outcomes: UploadOutcome[] = [];
  for (const file of files) {
    try {
      const bytes = Buffer.from(await file.arrayBuffer());
      const result = await addPage(groupId, bytes, {
        actor: { type: "staff", staffId: ctx.staff.id },
        ip: ctx.ip,
      });
      outcomes.push({ ...result, name: file.name } as UploadOutcome);
      if (result.status === "added") kickOcr();
    } catch (error) {
      if (error instanceof UploadError) {
        outcomes.push({
          status: "error",
          name: file.name,
          key: error.key,
          httpStatus: error.status,
        });
      } else {
        throw error;
      }
    }
  }
  return outcomes;
}
