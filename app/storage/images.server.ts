/**
 * Uploaded page photos: checking what they really are, keeping the original privately, and
 * deriving the images that are shown (auto-oriented, rotated as staff chose, metadata-free).
 * Every failure is an UploadError with a catalogue key and an HTTP status; nothing is written
 * to disk until the photo has passed every check.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import sharp, { type Metadata } from "sharp";
import type { MessageKey } from "~/i18n/i18n";
import { MIN_ANGLE, type CropGeometry } from "~/utils/crop-map";
import { getEnv } from "~/utils/env.server";

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
export const MAX_PIXELS = 60_000_000;
const PROCESS_TIMEOUT_SECONDS = 30;
export const VIEW_LONG_SIDE = 2000;
const THUMB_LONG_SIDE = 360;

export class UploadError extends Error {
  constructor(
    public readonly key: MessageKey,
    public readonly status: 413 | 415 | 422,
  ) {
    super(key);
  }
}

type Format = "jpeg" | "png" | "webp";

/** The real format, from the first bytes; the file name and the browser's type are not trusted. */
export function sniffFormat(bytes: Uint8Array): Format | "heic" | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes[0] === 0x89 && ascii(1, 4) === "PNG") return "png";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (
    ascii(4, 8) === "ftyp" &&
    /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1|avif)$/.test(ascii(8, 12))
  )
    return "heic";
  return null;
}

export interface CheckedImage {
  bytes: Buffer;
  format: Format;
  sha256: string;
  width: number;
  height: number;
}

export async function checkUpload(bytes: Buffer): Promise<CheckedImage> {
  if (bytes.length === 0) throw new UploadError("upload.empty", 422);
  if (bytes.length > MAX_UPLOAD_BYTES) throw new UploadError("upload.tooLarge", 413);
  const format = sniffFormat(bytes);
  if (format === "heic") throw new UploadError("upload.heic", 415);
  if (!format) throw new UploadError("upload.notImage", 415);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new UploadError("upload.broken", 422);
  }
  if (!meta.width || !meta.height) throw new UploadError("upload.broken", 422);
  if (meta.width * meta.height > MAX_PIXELS) throw new UploadError("upload.tooManyPixels", 413);
  // Decode it fully once: a truncated or corrupt file fails here, before anything is stored.
  // "error", not "truncated": a PNG chunk with a bad checksum is a decoder error that
  // "truncated" lets through (the page then OCRs to nothing); "warning" would also refuse
  // phone JPEGs with harmless quirks such as extra bytes between markers.
  try {
    await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error" })
      .timeout({ seconds: PROCESS_TIMEOUT_SECONDS })
      .resize(64)
      .raw()
      .toBuffer();
  } catch {
    throw new UploadError("upload.broken", 422);
  }
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  return { bytes, format, sha256, width: meta.width, height: meta.height };
}

/** Every temporary name below ends with this, so the sweep knows an unfinished write. */
export const TEMP_SUFFIX = ".partial";

/**
 * Writes a file so that no reader — this process after a crash, or another machine on a shared
 * folder — ever sees half of it: the bytes go to a temporary name in the same folder, are flushed
 * to disk, and the file is renamed into place (atomic on POSIX file systems); the folder is then
 * flushed so that the rename itself survives a power cut.
 */
export async function writeFileAtomic(relative: string, data: Uint8Array) {
  const full = resolveUpload(relative);
  const dir = path.dirname(full);
  await fs.mkdir(dir, { recursive: true });
  const temp = `${full}.${process.pid}-${crypto.randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
  const handle = await fs.open(temp, "wx", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, full);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string) {
  // Not every platform lets a folder be opened for fsync (Windows does not); the rename stands.
  const handle = await fs.open(dir, "r").catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // EINVAL/EISDIR on some file systems: nothing more can be done from here.
  } finally {
    await handle.close();
  }
}

/** Paths are stored relative to UPLOADS_DIR so that the folder can move. */
export function resolveUpload(relative: string) {
  const full = path.resolve(getEnv().uploadsDir, relative);
  if (!full.startsWith(path.resolve(getEnv().uploadsDir) + path.sep))
    throw new Error("path outside uploads");
  return full;
}

/**
 * A derived JPEG from the private store as an HTTP answer, or null when the file is missing.
 * Callers check who is asking first; originals are never passed here.
 */
export async function derivedImageResponse(relative: string, cacheControl: string) {
  const body = await fs.readFile(resolveUpload(relative)).catch(() => null);
  if (!body) return null;
  return new Response(body, {
    headers: {
      "Content-Type": "image/jpeg",
      "Cache-Control": cacheControl,
      "Content-Length": String(body.length),
    },
  });
}

export async function storeOriginal(image: CheckedImage): Promise<string> {
  const relative = path.join(
    "originals",
    `${image.sha256}.${image.format === "jpeg" ? "jpg" : image.format}`,
  );
  await writeFileAtomic(relative, image.bytes);
  return relative;
}

export interface DerivedImages {
  viewingPath: string;
  thumbPath: string;
  width: number;
  height: number;
}

/**
 * The viewing image (long side 2000 px) and thumbnail: upright by EXIF, then turned by the
 * staff's rotation; sharp writes no metadata unless asked, so no EXIF or GPS survives.
 */
export async function deriveImages(
  originalRelative: string,
  sha256: string,
  rotation: number,
): Promise<DerivedImages> {
  const input = await fs.readFile(resolveUpload(originalRelative));
  const base = sharp(input, { limitInputPixels: MAX_PIXELS, failOn: "truncated" })
    .timeout({ seconds: PROCESS_TIMEOUT_SECONDS })
    .autoOrient()
    .rotate(rotation);
  const viewing = await base
    .clone()
    .resize(VIEW_LONG_SIDE, VIEW_LONG_SIDE, { fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 88, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
  const thumb = await sharp(viewing.data)
    .resize(THUMB_LONG_SIDE, THUMB_LONG_SIDE, { fit: "inside" })
    .jpeg({ quality: 75 })
    .toBuffer();
  const viewingPath = path.join("derived", `${sha256}-r${rotation}-view.jpg`);
  const thumbPath = path.join("derived", `${sha256}-r${rotation}-thumb.jpg`);
  await writeFileAtomic(viewingPath, viewing.data);
  await writeFileAtomic(thumbPath, thumb);
  return { viewingPath, thumbPath, width: viewing.info.width, height: viewing.info.height };
}

export interface StoredCrop {
  cropPath: string;
  geometry: CropGeometry;
}

/**
 * The page as people look at it: the viewing image (colour) turned upright by the deskew angle
 * and cut to the sheet of paper that OCR found. Like the other derived images it carries no
 * metadata. Named after the OCR job, so a newer crop never overwrites one a page still points
 * to; the caller removes the file it replaced (or this one, if its result was dropped).
 */
export async function derivePageCrop(
  viewing: Buffer,
  names: { sha256: string; rotation: number; jobId: number },
  wanted: CropGeometry,
): Promise<StoredCrop> {
  const angle = Math.abs(wanted.angle) < MIN_ANGLE ? 0 : wanted.angle;
  const turned = await sharp(viewing, { limitInputPixels: MAX_PIXELS })
    .timeout({ seconds: PROCESS_TIMEOUT_SECONDS })
    .rotate(-angle, { background: { r: 255, g: 255, b: 255 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = turned.info;
  // The geometry is measured from the centre, which sharp keeps in the middle of its canvas.
  const left = Math.min(width - 1, Math.max(0, Math.round(width / 2 + wanted.left)));
  const top = Math.min(height - 1, Math.max(0, Math.round(height / 2 + wanted.top)));
  const cropWidth = Math.max(1, Math.min(width - left, Math.round(wanted.width)));
  const cropHeight = Math.max(1, Math.min(height - top, Math.round(wanted.height)));
  const jpeg = await sharp(turned.data, { raw: { width, height, channels } })
    .extract({ left, top, width: cropWidth, height: cropHeight })
    .jpeg({ quality: 88 })
    .toBuffer();
  const cropPath = path.join(
    "derived",
    `${names.sha256}-r${names.rotation}-crop-j${names.jobId}.jpg`,
  );
  await writeFileAtomic(cropPath, jpeg);
  return {
    cropPath,
    geometry: {
      angle,
      left: left - width / 2,
      top: top - height / 2,
      width: cropWidth,
      height: cropHeight,
    },
  };
}

export async function removeFiles(...relative: (string | null | undefined)[]) {
  await Promise.all(
    relative.filter((r): r is string => !!r).map((r) => fs.rm(resolveUpload(r), { force: true })),
  );
}

export interface StoredFile {
  /** Relative to UPLOADS_DIR, as the database stores it. */
  path: string;
  modifiedMs: number;
  bytes: number;
}

/** Every file in the private store's folders (originals, derived), for the orphan sweep. */
export async function listStoredFiles(): Promise<StoredFile[]> {
  const root = getEnv().uploadsDir;
  const files: StoredFile[] = [];
  for (const folder of ["originals", "derived"]) {
    const names = await fs.readdir(path.join(root, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const relative = path.join(folder, name);
      const stat = await fs.stat(path.join(root, relative)).catch(() => null);
      if (stat?.isFile())
        files.push({ path: relative, modifiedMs: stat.mtimeMs, bytes: stat.size });
    }
  }
  return files;
}
