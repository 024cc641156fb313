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
export type ActorType = "staff" | "participant" | "system" | "anonymous";

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
}

export interface DiaryGroupTable {
  id: Generated<number>;
  cohort_id: number;
  name: string;
  health_room_id: number;
  handoff_interval_days: Generated<number>;
  status: Generated<GroupStatus>;
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
  scope: "account" | "address" | "code";
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
