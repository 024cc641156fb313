/**
 * Finding every file the store holds for one photo, by its SHA-256 (which names the original and
 * every derived file: `originals/<sha>.jpg`, `derived/<sha>-r<rotation>-view.jpg`, crops…), so
 * that a deletion on request also removes copies no row points to any more (an older rotation or
 * crop left behind by a crash). Reading only; removal goes through `removeFiles`.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { getEnv } from "~/utils/env.server";
import { resolveUpload } from "./images.server";

const FOLDERS = ["originals", "derived"];

/** Paths relative to UPLOADS_DIR of every file whose name contains one of the hashes. */
export async function listFilesOfImages(sha256s: string[]): Promise<string[]> {
  const wanted = sha256s.filter((s) => /^[0-9a-f]{64}$/.test(s));
  if (wanted.length === 0) return [];
  const found: string[] = [];
  for (const folder of FOLDERS) {
    const names = await fs.readdir(path.join(getEnv().uploadsDir, folder)).catch(() => []);
    for (const name of names)
      if (wanted.some((sha) => name.includes(sha))) found.push(path.join(folder, name));
  }
  return found;
}

/** A stored file's bytes, or null when it is missing. */
export async function readStoredFile(relative: string): Promise<Buffer | null> {
  return fs.readFile(resolveUpload(relative)).catch(() => null);
}
