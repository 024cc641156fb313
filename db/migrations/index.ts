// Every migration, in order. Listed here (rather than read from the folder at run time) so that
// the same list works under tsx, vitest and any bundler. Add new files at the end.
import type { Migration } from "kysely";
import * as m2026_11_23_1900 from "./2026_11_23_1900_create_foundation";
import * as m2026_11_23_2010 from "./2026_11_23_2010_create_pages_and_ocr";
import * as m2026_11_24_0900 from "./2026_11_24_0900_create_review_and_watch";
import * as m2026_11_25_1000 from "./2026_11_25_1000_add_page_crop";
import * as m2026_12_02_1650 from "./2026_12_02_1650_add_page_uploaded_on";
import * as m2026_12_02_1700 from "./2026_12_02_1700_add_checks";
import * as m2026_12_02_1800 from "./2026_12_02_1800_rename_audit_actions";
import * as m2026_12_02_1900 from "./2026_12_02_1900_create_seeds_and_resources";
import * as m2026_12_02_2000 from "./2026_12_02_2000_create_seed_suggestions";
import * as m2026_12_03_0800 from "./2026_12_03_0800_extend_resources";
import * as m2026_12_03_0700 from "./2026_12_03_0700_seed_queue_indexes";
import * as m2026_12_03_1700 from "./2026_12_03_1700_ocr_job_path";
import * as m2026_12_04_0600 from "./2026_12_04_0600_page_hide_requests";
import * as m2026_12_04_0700 from "./2026_12_04_0700_audit_log_append_only";
import * as m2026_12_05_0100 from "./2026_12_05_0100_login_attempt_pairs";
import * as m2026_12_05_0200 from "./2026_12_05_0200_add_load_indexes";
import * as m2026_12_05_0300 from "./2026_12_05_0300_audit_log_filter_indexes";
import * as m2026_12_05_0400 from "./2026_12_05_0400_participant_rights";

export const migrations: Record<string, Migration> = {
  "2026_11_23_1900_create_foundation": m2026_11_23_1900,
  "2026_11_23_2010_create_pages_and_ocr": m2026_11_23_2010,
  "2026_11_24_0900_create_review_and_watch": m2026_11_24_0900,
  "2026_11_25_1000_add_page_crop": m2026_11_25_1000,
  "2026_12_02_1650_add_page_uploaded_on": m2026_12_02_1650,
  "2026_12_02_1700_add_checks": m2026_12_02_1700,
  "2026_12_02_1800_rename_audit_actions": m2026_12_02_1800,
  "2026_12_02_1900_create_seeds_and_resources": m2026_12_02_1900,
  "2026_12_02_2000_create_seed_suggestions": m2026_12_02_2000,
  "2026_12_03_0800_extend_resources": m2026_12_03_0800,
  "2026_12_03_0700_seed_queue_indexes": m2026_12_03_0700,
  "2026_12_03_1700_ocr_job_path": m2026_12_03_1700,
  "2026_12_04_0600_page_hide_requests": m2026_12_04_0600,
  "2026_12_04_0700_audit_log_append_only": m2026_12_04_0700,
  "2026_12_05_0100_login_attempt_pairs": m2026_12_05_0100,
  "2026_12_05_0200_add_load_indexes": m2026_12_05_0200,
  "2026_12_05_0300_audit_log_filter_indexes": m2026_12_05_0300,
  "2026_12_05_0400_participant_rights": m2026_12_05_0400,
};
