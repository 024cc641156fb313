import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TMP_DIR = path.join(ROOT, "test", ".tmp");
export const TEMPLATE_DB = path.join(TMP_DIR, "template.db");
