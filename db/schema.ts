/**
 * Kysely `Database` interface: one table interface each. Kept in step with db/migrations by hand;
 * the integration tests run the migrations and query every table through these types.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** ISO-8601 UTC timestamp text with a database default. */
type CreatedAt = ColumnType<string, string | undefined, string>;

export type StaffRole = "admin" | "staff";
export type GroupStatus = "forming" | "active" | "finished";
export type ReferralType = "participant" | "staff" | "school" | "sns" | "other" | "none";
export type SessionKind = "staff" | "participant";
export type LayoutSetting = "auto" | "horizontal" | "vertical";
export type PageLayout = "horizontal" | "vertical";
export type PageStatus = "queued" | "ocr" | "needs_review" | "approved" | "ocr_failed";
export type OcrJobState = "queued" | "running" | "done" | "failed" | "cancelled";
export type ActorType = "staff" | "participant" | "system" | "anonymous";
export type SeedCategory =
  "place" | "activity" | "event" | "person_skill" | "need" | "idea" | "shop" | "nature" | "other";
export type SeedStatus = "proposed" | "accepted" | "merged" | "rejected";
export type SeedSource = "staff" | "autolink" | "discovery";
export type RejectReason = "identifiable" | "exists" | "out_of_area" | "other";
export type ResourceVisibility = "staff" | "public";
export type ResourceStatus = "active" | "to_verify" | "inactive" | "closed";

export interface StaffUserTable {
  id: Generated<number>;
  login: string;
  display_name: string;
  password_hash: string;
  role: StaffRole;
  active: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface HealthRoomTable {
  id: Generated<number>;
  name: string;
  area: string;
  address: string;
  hours: Generated<string>;
  lat: number | null;
  lng: number | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CohortTable {
  id: Generated<number>;
  name: string;
  /** YYYY-MM-DD */
  starts_on: string;
  /** YYYY-MM-DD */
  ends_on: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ParticipantTable {
  id: Generated<number>;
  cohort_id: number;
  real_name: string;
  pen_name: string;
  contact: string | null;
  age_band: string;
  referral_type: ReferralType;
  referred_by_participant_id: number | null;
  referral_note: Generated<string>;
  consent_reading_on: string | null;
  consent_digitising_on: string | null;
  consent_seeds_on: string | null;
  withdrawn_on: string | null;
  access_code_selector: string | null;
  access_code_hash: string | null;
  access_code_issued_at: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** 利用停止: since when none of their pages is shown to their group (null: not stopped). */
  pages_hidden_at: string | null;
  /** Deleted on request: the row is an empty placeholder 「削除された参加者」. */
  deleted_at: string | null;
}

export interface DiaryGroupTable {
  id: Generated<number>;
  cohort_id: number;
  name: string;
  health_room_id: number;
  handoff_interval_days: Generated<number>;
  status: Generated<GroupStatus>;
  default_layout: Generated<LayoutSetting>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface GroupMemberTable {
  id: Generated<number>;
  group_id: number;
  participant_id: number;
  position: number;
  joined_on: string;
  left_on: string | null;
  left_reason: string | null;
}

export interface NotebookTable {
  id: Generated<number>;
  group_id: number;
  label: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface HandoffTable {
  id: Generated<number>;
  notebook_id: number;
  /** null: the notebook came from the health room */
  from_participant_id: number | null;
  /** null: the notebook stays at the health room */
  to_participant_id: number | null;
  health_room_id: number;
  recorded_by_staff_id: number;
  handed_at: string;
  /** YYYY-MM-DD, when the holder is due to bring it back; null while at the room */
  due_on: string | null;
  note: Generated<string>;
  created_at: CreatedAt;
}

export interface SessionTable {
  id: string;
  kind: SessionKind;
  staff_user_id: number | null;
  participant_id: number | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: Generated<string>;
  user_agent: Generated<string>;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  scope: "account" | "address" | "code" | "account_address" | "code_address";
  key: string;
  attempted_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_type: ActorType;
  actor_staff_id: number | null;
  actor_participant_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  detail: Generated<string>;
  ip: Generated<string>;
}

export interface PageTable {
  id: Generated<number>;
  group_id: number;
  notebook_id: number;
  page_number: number;
  author_participant_id: number | null;
  entry_date: string | null;
  layout_setting: Generated<LayoutSetting>;
  /** The layout OCR used (detected when the setting is auto). */
  layout: PageLayout | null;
  /** Extra clockwise rotation chosen by staff, applied to the original. */
  rotation: Generated<number>;
  status: Generated<PageStatus>;
  ocr_error: string | null;
  image_sha256: string;
  original_path: string;
  viewing_path: string;
  thumb_path: string;
  width: number;
  height: number;
  /** Left out of the group's diary (see visibleToGroup); set at a participant's request. */
  hidden: Generated<number>;
  hidden_at: string | null;
  /** The writer who asked for the page to be hidden, when, and when staff saw the request. */
  hide_requested_by_participant_id: number | null;
  hide_requested_at: string | null;
  hide_seen_at: string | null;
  uploaded_by_staff_id: number;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** The calendar date in Japan of the upload (`localDate`), where the diary places an undated page. */
  uploaded_on: string | null;
  /** The staff member reviewing the page now; the claim lapses after a while (see review model). */
  review_staff_id: number | null;
  review_claimed_at: string | null;
  /** The transcription version that was approved (page status `approved`). */
  approved_version: number | null;
  approved_by_staff_id: number | null;
  approved_at: string | null;
  /**
   * The straightened page crop OCR derived (deskewed, cut to the paper), under UPLOADS_DIR; null
   * before OCR and after a rotation. `crop_json` holds `{ angle, left, top }` for mapping the
   * line boxes onto it (app/utils/crop-map.ts).
   */
  crop_path: string | null;
  crop_width: number | null;
  crop_height: number | null;
  crop_json: string | null;
}

export interface OcrJobTable {
  id: Generated<number>;
  page_id: number;
  state: Generated<OcrJobState>;
  attempts: Generated<number>;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  run_after: CreatedAt;
  created_at: CreatedAt;
  finished_at: string | null;
  /** `OcrPath` of the pipeline as JSON (passes and the one kept); null before it was recorded. */
  path_json: string | null;
}

export interface TranscriptionTable {
  id: Generated<number>;
  page_id: number;
  version: number;
  source: "ocr" | "staff";
  text: string;
  lines_json: Generated<string>;
  confidence: number | null;
  layout: PageLayout | null;
  ocr_job_id: number | null;
  timings_json: Generated<string>;
  created_by_staff_id: number | null;
  created_at: CreatedAt;
  /** Set when this version was made by restoring an older one. */
  restored_from: number | null;
}

export interface ConcernPhraseTable {
  id: Generated<number>;
  phrase: string;
  /** JSON array of other spellings (kana/kanji). */
  variants: Generated<string>;
  active: Generated<number>;
  updated_by_staff_id: number | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type WatchFlagSource = "phrase" | "manual";
export type WatchFlagStatus = "open" | "acknowledged";

export interface WatchFlagTable {
  id: Generated<number>;
  page_id: number;
  source: WatchFlagSource;
  concern_phrase_id: number | null;
  /** The words as written on the page, and some text either side. */
  matched_text: Generated<string>;
  context_before: Generated<string>;
  context_after: Generated<string>;
  transcription_version: number | null;
  /** Why a reviewer raised it by hand. */
  reason: Generated<string>;
  status: Generated<WatchFlagStatus>;
  raised_by_staff_id: number | null;
  created_at: CreatedAt;
  acknowledged_by_staff_id: number | null;
  acknowledged_at: string | null;
  acknowledgement_note: string | null;
}

/** A community resource (地域資源); the resource issue extends this minimal form. */
export interface ResourceTable {
  id: Generated<number>;
  name: string;
  aliases_json: Generated<string>;
  description: Generated<string>;
  category: SeedCategory;
  tags_json: Generated<string>;
  area: Generated<string>;
  visibility: Generated<ResourceVisibility>;
  status: Generated<ResourceStatus>;
  created_by_staff_id: number | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  organization: Generated<string>;
  address: Generated<string>;
  lat: number | null;
  lng: number | null;
  /** Free-text schedule as staff write it (「毎週木曜 10時〜12時」). */
  schedule_text: Generated<string>;
  /** Structured rules, `ScheduleRule[]` as JSON (app/utils/schedule.ts). */
  schedule_json: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  url: Generated<string>;
  eligibility: Generated<string>;
  fees: Generated<string>;
  verified_on: string | null;
  verified_by_staff_id: number | null;
  verified_how: VerifiedHow | null;
  /** Name, aliases, description and tags folded with `searchKey`, for kana/width-blind search. */
  search_key: Generated<string>;
  updated_by_staff_id: number | null;
}

export type VerifiedHow = "walk" | "phone" | "visit" | "other";

/** One changed field of a resource (HSDS `metadata`: field, old value, new value, who, when). */
export interface ResourceChangeTable {
  id: Generated<number>;
  resource_id: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  staff_id: number | null;
  source: Generated<"edit" | "walk" | "import" | "seed">;
  changed_at: CreatedAt;
}

export interface TownWalkTable {
  id: Generated<number>;
  area: string;
  health_room_id: number | null;
  planned_on: string;
  status: Generated<"planned" | "done">;
  created_by_staff_id: number | null;
  created_at: CreatedAt;
}

export type WalkResult = "verified" | "changed" | "closed" | "not_found";

export interface TownWalkStopTable {
  id: Generated<number>;
  walk_id: number;
  position: number;
  resource_id: number | null;
  seed_id: number | null;
  result: WalkResult | null;
  note: Generated<string>;
  recorded_by_staff_id: number | null;
  recorded_at: string | null;
}

/** A seed (タネ): a span of an approved transcription, in code points, with its exact quote. */
export interface SeedTable {
  id: Generated<number>;
  /** Null once the page was deleted on request (quote and note are then emptied). */
  page_id: number | null;
  transcription_id: number | null;
  transcription_version: number | null;
  start_cp: number;
  end_cp: number;
  quote: string;
  title: string;
  category: SeedCategory;
  tags_json: Generated<string>;
  area: Generated<string>;
  note: Generated<string>;
  status: Generated<SeedStatus>;
  /** 要確認 (0/1): re-anchoring failed after an edit, or the author withdrew consent. */
  needs_check: Generated<number>;
  needs_check_reason: string | null;
  resource_id: number | null;
  reject_reason: RejectReason | null;
  reject_note: Generated<string>;
  source: Generated<SeedSource>;
  proposed_by_staff_id: number;
  proposed_at: CreatedAt;
  decided_by_staff_id: number | null;
  decided_at: string | null;
  page_deleted_at: string | null;
}

/** A decision on a seed with the seed as it was before, so that the last one can be undone. */
export interface SeedDecisionTable {
  id: Generated<number>;
  seed_id: number;
  decision: "accept" | "merge" | "reject";
  before_json: string;
  created_resource_id: number | null;
  decided_by_staff_id: number;
  decided_at: CreatedAt;
  undone_at: string | null;
}

/** A candidate seed the app proposed in an approved transcription, until staff decide on it. */
export interface SeedSuggestionTable {
  id: Generated<number>;
  page_id: number;
  transcription_id: number;
  start_cp: number;
  end_cp: number;
  quote: string;
  category: SeedCategory;
  source: "autolink" | "discovery";
  resource_id: number | null;
  status: Generated<"open" | "taken" | "dismissed">;
  seed_id: number | null;
  decided_by_staff_id: number | null;
  decided_at: string | null;
  created_at: CreatedAt;
}

/** Suggestions were made for this approved transcription (`found` of them). */
export interface SeedSuggestionRunTable {
  transcription_id: number;
  page_id: number;
  found: number;
  created_at: CreatedAt;
}

export interface Database {
  staff_user: StaffUserTable;
  health_room: HealthRoomTable;
  cohort: CohortTable;
  participant: ParticipantTable;
  diary_group: DiaryGroupTable;
  group_member: GroupMemberTable;
  notebook: NotebookTable;
  handoff: HandoffTable;
  session: SessionTable;
  login_attempt: LoginAttemptTable;
  audit_log: AuditLogTable;
  page: PageTable;
  ocr_job: OcrJobTable;
  transcription: TranscriptionTable;
  concern_phrase: ConcernPhraseTable;
  watch_flag: WatchFlagTable;
  resource: ResourceTable;
  seed: SeedTable;
  seed_decision: SeedDecisionTable;
  seed_suggestion: SeedSuggestionTable;
  seed_suggestion_run: SeedSuggestionRunTable;
  resource_change: ResourceChangeTable;
  town_walk: TownWalkTable;
  town_walk_stop: TownWalkStopTable;
}

export type StaffUser = Selectable<StaffUserTable>;
export type NewStaffUser = Insertable<StaffUserTable>;
export type HealthRoom = Selectable<HealthRoomTable>;
export type Cohort = Selectable<CohortTable>;
export type Participant = Selectable<ParticipantTable>;
export type ParticipantUpdate = Updateable<ParticipantTable>;
export type DiaryGroup = Selectable<DiaryGroupTable>;
export type GroupMember = Selectable<GroupMemberTable>;
export type Handoff = Selectable<HandoffTable>;
export type Page = Selectable<PageTable>;
export type OcrJob = Selectable<OcrJobTable>;
export type Transcription = Selectable<TranscriptionTable>;
