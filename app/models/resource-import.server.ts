/**
 * The steps of importing a CSV list on the server: the file's text and the chosen column mapping
 * travel with the form; every step parses the text again and checks the rows, so nothing the
 * browser sends is trusted as rows. The parsing and checking are app/resources/csv-import (whose
 * CSV library must stay out of the browser bundle: routes take it from here).
 */
import {
  buildImportPreview,
  IMPORT_FIELDS,
  parseCsv,
  type ColumnMapping,
  type ImportField,
} from "~/resources/csv-import";
import { resourceDuplicateKeys } from "./resources.server";

export {
  CsvFormatError,
  decodeCsvBytes,
  IMPORT_FIELDS,
  parseCsv,
  readCsvFile,
} from "~/resources/csv-import";

const PREVIEW_ROWS = 200;

export type ImportStep = {
  fileName: string;
  encoding: string;
  csv: string;
  headers: string[];
  mapping: ColumnMapping;
  defaultArea: string;
};

/** The mapping as the form sent it (col-0 … col-n), only to known fields. */
export function mappingFrom(form: FormData, columns: number): ColumnMapping {
  const fields = new Set<string>(IMPORT_FIELDS.map((f) => f.field));
  const mapping: ColumnMapping = {};
  for (let i = 0; i < columns; i++) {
    const v = form.get(`col-${i}`);
    mapping[i] = typeof v === "string" && fields.has(v) ? (v as ImportField) : null;
  }
  return mapping;
}

export async function preview(step: ImportStep) {
  const [, ...rows] = parseCsv(step.csv);
  const result = buildImportPreview(rows, step.mapping, {
    existingKeys: await resourceDuplicateKeys(),
    defaultArea: step.defaultArea || undefined,
  });
  return result;
}

/** What the page shows of the preview: counts and the first rows (all rows are imported). */
export function summarize(result: Awaited<ReturnType<typeof preview>>) {
  return {
    counts: result.counts,
    total: result.rows.length,
    rows: result.rows.slice(0, PREVIEW_ROWS).map((r) => ({
      line: r.line,
      name: r.input?.name ?? null,
      area: r.input?.area ?? null,
      category: r.input?.category ?? null,
      address: r.input?.address ?? null,
      errors: r.errors,
      warnings: r.warnings,
      duplicate: r.duplicate,
    })),
  };
}
