/**
 * The route walk (issue 14): every route module in app/routes, read from disk when the test runs,
 * is requested with GET by five viewers — an anonymous visitor, a participant of another group, a
 * participant of the group, staff and an administrator — and each answer is checked against the
 * rule table below: the status, where a redirect goes, what a 200 is (page, image, export), and
 * that no body a visitor or participant gets carries a real name, a contact, another group's
 * diary or a staff-only record. Each URL is asked for as `<url>.data` too (the single-fetch data
 * a client-side navigation loads): a viewer refused the page gets no 200 there either.
 *
 * A route module on disk without a rule fails the walk, and so does a rule without a module: a
 * new route must say here who may see it. Participants get 404, never 403, from staff pages,
 * other groups and their images (decision 016). Only loaders are walked; actions have their own
 * tests (http-permissions, http-forms, …).
 *
 * TO ADD A ROUTE: add an entry to RULES keyed by the module's name in app/routes (the file name
 * without its extension, or the folder name for `folder/route.tsx`). Fill its URL parameters
 * from the records made in beforeAll (`params`), and say what each viewer gets (`expect`; the
 * shorthands STAFF_ONLY, ADMIN_ONLY, GROUP_MEMBERS and EVERYONE cover most routes). A route that
 * answers something other than an HTML page with its 200 says so with `type`. The server runs
 * the build: after adding a route, `npm run build` (which `npm test` does) before this test.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordHandoff } from "~/models/custody.server";
import { approvePage, claimNextJob, completeOcr } from "~/models/page-lifecycle.server";
import { addPage } from "~/models/pages.server";
import { getParticipant, updateParticipant } from "~/models/participants.server";
import { createResource, ResourceInputSchema } from "~/models/resources.server";
import { planWalk } from "~/models/town-walks.server";
import { getEditBase } from "~/models/transcriptions.server";
import { raiseManualFlag } from "~/models/watch.server";
import { localDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff, participantInput, system } from "../helpers/factories";
import { ROOT } from "../helpers/paths";
import { Client, startServer, type RunningServer } from "../helpers/server";

// ---------------------------------------------------------------------------------------------
// Viewers and outcomes
// ---------------------------------------------------------------------------------------------

const VIEWERS = ["anon", "otherGroup", "ownGroup", "staff", "admin"] as const;
type Viewer = (typeof VIEWERS)[number];

const VIEWER_NAMES: Record<Viewer, string> = {
  anon: "an anonymous visitor",
  otherGroup: "a participant of another group",
  ownGroup: "a participant of the group",
  staff: "staff",
  admin: "an admin",
};

/**
 * What a viewer gets from a GET:
 * - a status (200, 403, 404, 405);
 * - "login" / "code": 302 to the staff login / the participant entrance, with `redirectTo` set to
 *   the URL asked for;
 * - `{ redirect }`: 302 to exactly that location.
 */
type Outcome =
  200 | 403 | 404 | 405 | "login" | "code" | { redirect: string | ((r: Records) => string) };

type Expectations = Record<Viewer, Outcome>;

/** Staff pages: visitors to the login, participants 404 (decision 016), staff and admins 200. */
const STAFF_ONLY: Expectations = {
  anon: "login",
  otherGroup: 404,
  ownGroup: 404,
  staff: 200,
  admin: 200,
};
/** Admin pages: as staff pages, but staff without the admin role get 403. */
const ADMIN_ONLY: Expectations = { ...STAFF_ONLY, staff: 403 };
/** A group's own pages: its participants and staff; another group's participant gets 404. */
const GROUP_MEMBERS: Expectations = {
  anon: "code",
  otherGroup: 404,
  ownGroup: 200,
  staff: 200,
  admin: 200,
};
/** Nobody sees it through this URL (a page that is not, or not yet, on the group page). */
const GROUP_NOBODY: Expectations = { ...GROUP_MEMBERS, ownGroup: 404, staff: 404, admin: 404 };
/** Public pages. */
const EVERYONE: Expectations = {
  anon: 200,
  otherGroup: 200,
  ownGroup: 200,
  staff: 200,
  admin: 200,
};
const allGet = (outcome: Outcome): Expectations => ({
  anon: outcome,
  otherGroup: outcome,
  ownGroup: outcome,
  staff: outcome,
  admin: outcome,
});

/** What a 200 must be, by its Content-Type. */
const HTML = /^text\/html/;
const IMAGE = /^image\/(jpeg|webp|png)/;
const CSV = /^text\/csv/;
const JSON_ = /^application\/(geo\+)?json/;
const CALENDAR = /^text\/calendar/;

// ---------------------------------------------------------------------------------------------
// The rule table
// ---------------------------------------------------------------------------------------------

/** The records the walk fills URL parameters from (made once, in beforeAll). */
interface Records {
  /** The group of the "participant of the group"; every group-scoped URL uses it. */
  groupA: Awaited<ReturnType<typeof makeActiveGroup>>;
  /** The group of the "participant of another group" (same cohort and health room). */
  groupB: Awaited<ReturnType<typeof makeActiveGroup>>;
  staffId: number;
  pages: {
    /** Approved, on group A's page. */
    approvedA: number;
    /** Read by OCR, waiting in review. */
    inReviewA: number;
    /** Approved, but with an open 見守り flag: off the group page. */
    flaggedA: number;
    /** Approved, but hidden from the group. */
    hiddenA: number;
    /** Approved, on group B's page. */
    approvedB: number;
  };
  /** A public, active resource with a location (on the public list and its exports). */
  publicResource: { id: number; name: string };
  /** A staff-only resource: never on a public or participant page. */
  staffResource: { id: number; name: string };
  walkId: number;
  /** Texts the approved pages carry. */
  texts: Record<keyof Records["pages"], string>;
  penNames: { a: string[]; b: string[] };
  /** Real names and contacts of group A's members (staff only). */
  privateA: { realNames: string[]; contacts: string[] };
  groupNames: { a: string; b: string };
}

type Params = Record<string, string | number>;

interface Case {
  /** What this URL is, when a route has more than one case. */
  what?: string;
  /** The route's URL parameters (`$groupId` → `groupId`), from the records. */
  params?: (r: Records) => Params;
  /** Appended to the URL, e.g. "?size=view". */
  query?: string;
  expect: Expectations;
  /** The Content-Type of a 200 (default: an HTML page). */
  type?: RegExp;
  /** Text that a viewer who gets 200 must find in the body. */
  shows?: (r: Records) => Partial<Record<Viewer, string[]>>;
}

type RouteRule = Case | Case[];

const groupA = (r: Records) => ({ groupId: r.groupA.groupId });

/** Keyed by the route module's name in app/routes (file without extension, or folder). */
const RULES: Record<string, RouteRule> = {
  // The staff dashboard; a participant is sent on to their own page.
  _index: {
    expect: { ...STAFF_ONLY, otherGroup: { redirect: "/me" }, ownGroup: { redirect: "/me" } },
  },

  "admin.audit": { expect: ADMIN_ONLY },
  // The filtered audit log as CSV (each export is itself audited).
  "admin.audit.export[.]csv": { expect: ADMIN_ONLY, type: CSV },
  "admin.concern-phrases": { expect: ADMIN_ONLY },
  "admin.health-rooms._index": { expect: ADMIN_ONLY },
  "admin.health-rooms.$roomId": {
    params: (r) => ({ roomId: r.groupA.roomId }),
    expect: ADMIN_ONLY,
  },
  "admin.staff._index": { expect: ADMIN_ONLY },
  "admin.staff.$staffId": { params: (r) => ({ staffId: r.staffId }), expect: ADMIN_ONLY },

  // Entrances. Staff who are logged in go to the dashboard; a participant who is logged in
  // gets the entrance page, which links (and, with JavaScript, moves) on to /me.
  code: { expect: EVERYONE },
  login: { expect: { ...EVERYONE, staff: { redirect: "/" }, admin: { redirect: "/" } } },
  // POST-only routes: a GET goes to the dashboard (which sends each viewer on).
  logout: { expect: allGet({ redirect: "/" }) },
  language: { expect: allGet({ redirect: "/" }) },
  // A participant's home: their group page. Staff have no participant session.
  me: {
    expect: {
      anon: "code",
      otherGroup: { redirect: (r) => `/g/${r.groupB.groupId}` },
      ownGroup: { redirect: (r) => `/g/${r.groupA.groupId}` },
      staff: "code",
      admin: "code",
    },
  },

  "cohorts._index": { expect: STAFF_ONLY },
  "cohorts.$cohortId": { params: (r) => ({ cohortId: r.groupA.cohortId }), expect: STAFF_ONLY },

  "participants._index": { expect: STAFF_ONLY },
  "participants.new": { expect: STAFF_ONLY },
  "participants.$participantId": {
    params: (r) => ({ participantId: r.groupA.members[0]! }),
    expect: STAFF_ONLY,
    shows: (r) => ({ staff: [r.privateA.realNames[0]!, r.privateA.contacts[0]!] }),
  },
  // The disclosure archive is made by POST only (it is audited); a GET is 405 after the check.
  "participants.$participantId.disclosure": {
    params: (r) => ({ participantId: r.groupA.members[0]! }),
    expect: { ...STAFF_ONLY, staff: 405, admin: 405 },
  },

  "groups._index": { expect: STAFF_ONLY },
  "groups.new": { expect: STAFF_ONLY },
  "groups.$groupId": { params: groupA, expect: STAFF_ONLY },

  // The participants' group page: pen names and approved pages only.
  "g.$groupId": [
    {
      what: "the group's page",
      params: groupA,
      expect: GROUP_MEMBERS,
      shows: (r) => ({ ownGroup: [...r.penNames.a, r.texts.approvedA] }),
    },
    {
      what: "a group that does not exist",
      params: () => ({ groupId: 999999 }),
      expect: GROUP_NOBODY,
    },
  ],
  "g.$groupId.pages.$pageId.image": [
    {
      what: "an approved page",
      params: (r) => ({ ...groupA(r), pageId: r.pages.approvedA }),
      expect: GROUP_MEMBERS,
      type: IMAGE,
    },
    {
      what: "a page still in review",
      params: (r) => ({ ...groupA(r), pageId: r.pages.inReviewA }),
      expect: GROUP_NOBODY,
    },
    {
      what: "an approved page with an open 見守り flag",
      params: (r) => ({ ...groupA(r), pageId: r.pages.flaggedA }),
      expect: GROUP_NOBODY,
    },
    {
      what: "an approved page hidden from the group",
      params: (r) => ({ ...groupA(r), pageId: r.pages.hiddenA }),
      expect: GROUP_NOBODY,
    },
    {
      what: "another group's approved page under this group's address",
      params: (r) => ({ ...groupA(r), pageId: r.pages.approvedB }),
      expect: GROUP_NOBODY,
    },
  ],

  // The notebook's due date as a calendar file, while a member holds it.
  "g.$groupId.due[.]ics": [
    {
      what: "a group whose notebook a member holds",
      params: groupA,
      expect: GROUP_MEMBERS,
      type: CALENDAR,
    },
    {
      what: "a group whose notebook is at the health room",
      params: (r) => ({ groupId: r.groupB.groupId }),
      expect: GROUP_NOBODY,
    },
  ],

  // Staff images: any page, derived images only.
  "pages.$pageId.image": [
    {
      what: "an approved page",
      params: (r) => ({ pageId: r.pages.approvedA }),
      expect: STAFF_ONLY,
      type: IMAGE,
    },
    {
      what: "a page in review, viewing size",
      params: (r) => ({ pageId: r.pages.inReviewA }),
      query: "?size=view",
      expect: STAFF_ONLY,
      type: IMAGE,
    },
  ],

  "scan._index": { expect: STAFF_ONLY },
  "scan.$groupId": { params: groupA, expect: STAFF_ONLY },
  // The station's upload endpoint takes POSTs only; its GET answers 405 without looking at the
  // session (it reads and reveals nothing).
  "scan.$groupId.upload": {
    params: groupA,
    expect: { ...STAFF_ONLY, staff: 405, admin: 405 },
    type: JSON_,
  },

  "review._index": { expect: STAFF_ONLY },
  "review.pages.$pageId": { params: (r) => ({ pageId: r.pages.inReviewA }), expect: STAFF_ONLY },
  "seeds._index": { expect: STAFF_ONLY },

  "resources._index": { expect: STAFF_ONLY },
  "resources.new": { expect: STAFF_ONLY },
  "resources.import": { expect: STAFF_ONLY },
  "resources.map": { expect: STAFF_ONLY },
  "resources.map_.points": { expect: STAFF_ONLY, type: JSON_ },
  "resources.$resourceId": {
    params: (r) => ({ resourceId: r.staffResource.id }),
    expect: STAFF_ONLY,
    shows: (r) => ({ staff: [r.staffResource.name] }),
  },
  "resources.export.$format": [
    { what: "CSV", params: () => ({ format: "csv" }), expect: STAFF_ONLY, type: CSV },
    { what: "GeoJSON", params: () => ({ format: "geojson" }), expect: STAFF_ONLY, type: JSON_ },
    { what: "HSDS", params: () => ({ format: "hsds" }), expect: STAFF_ONLY, type: JSON_ },
    {
      what: "an unknown format",
      params: () => ({ format: "xml" }),
      expect: { ...STAFF_ONLY, staff: 404, admin: 404 },
    },
  ],

  "walks._index": { expect: STAFF_ONLY },
  "walks.$walkId._index": { params: (r) => ({ walkId: r.walkId }), expect: STAFF_ONLY },
  "walks.$walkId.print": { params: (r) => ({ walkId: r.walkId }), expect: STAFF_ONLY },

  // The public list: anyone, public and active resources only.
  "public.resources._index": {
    expect: EVERYONE,
    shows: (r) => ({ anon: [r.publicResource.name] }),
  },
  "public.resources.print": {
    expect: EVERYONE,
    shows: (r) => ({ anon: [r.publicResource.name] }),
  },
  "public.resources.export[.]csv": {
    expect: EVERYONE,
    type: CSV,
    shows: (r) => ({ anon: [r.publicResource.name] }),
  },
  "public.resources.export[.]geojson": {
    expect: EVERYONE,
    type: JSON_,
    shows: (r) => ({ anon: [r.publicResource.name] }),
  },
  "public.resources.export[.]hsds[.]json": {
    expect: EVERYONE,
    type: JSON_,
    shows: (r) => ({ anon: [r.publicResource.name] }),
  },
};

// ---------------------------------------------------------------------------------------------
// Route modules on disk (Remix v2 flat routes)
// ---------------------------------------------------------------------------------------------

const ROUTES_DIR = path.join(ROOT, "app", "routes");
const ROUTE_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mdx", ".md"];

interface RouteModule {
  /** The route id without "routes/": the key of RULES. */
  id: string;
  /** The module's path, for messages. */
  file: string;
  /** The URL pattern, e.g. /g/:groupId/pages/:pageId/image. */
  pattern: string;
}

/** Route modules as Remix finds them (remix.config.js ignores dotfiles and *.test.*). */
function routeModulesOnDisk(): RouteModule[] {
  const found: RouteModule[] = [];
  for (const entry of fs.readdirSync(ROUTES_DIR, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    if (entry.isFile()) {
      const ext = path.extname(entry.name);
      if (!ROUTE_EXTENSIONS.includes(ext) || /\.test\.tsx?$/.test(entry.name)) continue;
      const id = entry.name.slice(0, -ext.length);
      found.push({ id, file: `app/routes/${entry.name}`, pattern: urlPattern(id) });
    } else if (entry.isDirectory()) {
      // A folder is a route when it holds route.* (or index.*); its other files are not routes.
      const inside = fs.readdirSync(path.join(ROUTES_DIR, entry.name));
      const module = inside.find((f) =>
        ROUTE_EXTENSIONS.some((ext) => f === `route${ext}` || f === `index${ext}`),
      );
      if (module)
        found.push({
          id: entry.name,
          file: `app/routes/${entry.name}/${module}`,
          pattern: urlPattern(entry.name),
        });
    }
  }
  return found.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The URL pattern of a flat-routes id: `.` is `/`, `$x` a parameter, `$` a splat, `_index` an
 * index route, `_x` a pathless layout (no segment), a trailing `_` opts out of the parent layout
 * (no effect on the URL), and `[…]` escapes (`export[.]csv` is `export.csv`).
 */
function urlPattern(id: string): string {
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const ch of id) {
    if (ch === "[" && !escaped) escaped = true;
    else if (ch === "]" && escaped) escaped = false;
    else if (ch === "." && !escaped) {
      segments.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  segments.push(current);
  const parts: string[] = [];
  for (let segment of segments) {
    if (segment.startsWith("_")) continue; // _index, or a pathless layout
    if (segment.startsWith("(")) {
      throw new Error(`optional segments are not handled by the route walk yet: ${id}`);
    }
    if (segment.endsWith("_")) segment = segment.slice(0, -1);
    if (segment === "$") segment = "*";
    else if (segment.startsWith("$")) segment = `:${segment.slice(1)}`;
    parts.push(segment.replace(/\[([^\]]*)\]/g, "$1"));
  }
  return `/${parts.join("/")}`;
}

/**
 * Full URL patterns of the routes in the server build (build/index.js), by id. The server serves
 * the build, not app/routes: a route missing here means the build is older than the code.
 */
function routesInBuild(): Map<string, string> {
  const text = fs.readFileSync(path.join(ROOT, "build", "index.js"), "utf8");
  const entries = new Map<string, { parentId: string | null; path: string }>();
  const entry =
    /"(routes\/[^"]+)": \{\s*id: "[^"]+",\s*parentId: (?:"([^"]+)"|void 0),\s*path: (?:"([^"]*)"|void 0),/g;
  for (const m of text.matchAll(entry))
    entries.set(m[1]!, { parentId: m[2] ?? null, path: m[3] ?? "" });
  const full = (id: string): string => {
    const e = entries.get(id);
    if (!e) return "";
    const parent = e.parentId && e.parentId !== "root" ? full(e.parentId) : "";
    return [parent, e.path].filter(Boolean).join("/");
  };
  const result = new Map<string, string>();
  for (const id of entries.keys()) result.set(id.slice("routes/".length), `/${full(id)}`);
  return result;
}

const ON_DISK = routeModulesOnDisk();

function casesOf(rule: RouteRule): Case[] {
  return Array.isArray(rule) ? rule : [rule];
}

function fillPattern(route: RouteModule, params: Params): string {
  return route.pattern.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params))
      throw new Error(`the rule for ${route.file} gives no value for the parameter "${name}"`);
    return encodeURIComponent(String(params[name]));
  });
}

// ---------------------------------------------------------------------------------------------
// Records and sessions
// ---------------------------------------------------------------------------------------------

let server: RunningServer;
let records: Records;
const clients = {} as Record<Viewer, Client>;
/** Texts each viewer must never get in any body, with what they are (for the message). */
const hiddenFrom: Record<Viewer, Array<{ text: string; what: string }>> = {
  anon: [],
  otherGroup: [],
  ownGroup: [],
  staff: [],
  admin: [],
};

let photoNo = 0;

/** A page added as the station adds it, then "read" with the given text (no Tesseract). */
async function readPage(groupId: number, text: string, actor: { type: "staff"; staffId: number }) {
  photoNo++;
  const bytes = await sharp({
    create: { width: 600, height: 800, channels: 3, background: { r: 250, g: 248, b: 240 } },
  })
    .composite([
      {
        input: Buffer.from(
          `<svg width="600" height="800"><rect x="${40 + photoNo * 9}" y="120" width="300" height="8"/></svg>`,
        ),
      },
    ])
    .jpeg()
    .toBuffer();
  const added = await addPage(groupId, bytes, { actor });
  if (added.status !== "added") throw new Error(`page not added: ${added.status}`);
  const owner = "route-walk";
  const job = await claimNextJob(getDb(), owner, 60_000);
  if (job?.page_id !== added.pageId) throw new Error("another OCR job was queued first");
  const { stored } = await completeOcr(
    getDb(),
    { id: job.id, pageId: added.pageId, owner },
    {
      text,
      lines: [{ text, confidence: 90, bbox: null, unsure: [] }],
      confidence: 90,
      layout: "horizontal",
      timings: {},
    },
    null,
  );
  if (!stored) throw new Error("OCR draft not stored");
  return added.pageId;
}

async function approve(pageId: number, actor: { type: "staff"; staffId: number }) {
  const outcome = await approvePage(pageId, await getEditBase(pageId), null, { actor });
  if (outcome.status !== "approved") throw new Error(`page ${pageId} not approved`);
}

/** Gives each member a contact (factories leave it empty); returns real names and contacts. */
async function withContacts(group: Records["groupA"], label: string) {
  const secrets: Array<{ text: string; what: string }> = [];
  const penNames: string[] = [];
  const realNames: string[] = [];
  const contacts: string[] = [];
  for (const [i, id] of group.members.entries()) {
    const p = (await getParticipant(id))!;
    const contact = `080-5${String(id).padStart(3, "0")}-${String(7000 + i)}`;
    await updateParticipant(
      id,
      participantInput(group.cohortId, { realName: p.real_name, penName: p.pen_name, contact }),
      system,
    );
    secrets.push(
      { text: p.real_name, what: `real name of a member of group ${label}` },
      { text: contact, what: `contact of a member of group ${label}` },
    );
    penNames.push(p.pen_name);
    realNames.push(p.real_name);
    contacts.push(contact);
  }
  return { secrets, penNames, realNames, contacts };
}

function resourceInput(fields: Record<string, string>) {
  return ResourceInputSchema.parse({ category: "place", status: "active", ...fields });
}

beforeAll(async () => {
  const admin = await makeStaff("admin");
  const staff = await makeStaff("staff");
  const a = await makeActiveGroup();
  const b = await makeActiveGroup({ cohortId: a.cohortId, roomId: a.roomId });
  const contactsA = await withContacts(a, "A");
  const contactsB = await withContacts(b, "B");

  const texts = {
    approvedA: "公園のベンチで本を読んだ。風が気持ちよかった。",
    inReviewA: "まだ確認前のページ、だれにも見せていない下書き。",
    flaggedA: "見守り中のページ、グループには出さない文。",
    hiddenA: "書いた人が隠したページ、グループには出さない文。",
    approvedB: "隣のグループの日記、駅まで歩いた話。",
  };
  const pages = {
    approvedA: await readPage(a.groupId, texts.approvedA, staff.actor),
    inReviewA: await readPage(a.groupId, texts.inReviewA, staff.actor),
    flaggedA: await readPage(a.groupId, texts.flaggedA, staff.actor),
    hiddenA: await readPage(a.groupId, texts.hiddenA, staff.actor),
    approvedB: await readPage(b.groupId, texts.approvedB, staff.actor),
  };
  await approve(pages.approvedA, staff.actor);
  await approve(pages.flaggedA, staff.actor);
  await approve(pages.hiddenA, staff.actor);
  await approve(pages.approvedB, staff.actor);
  await raiseManualFlag(pages.flaggedA, "ルート巡回テストの見守り", { actor: staff.actor });
  // Hidden from the group as the group's diary rule reads it.
  await getDb().updateTable("page").set({ hidden: 1 }).where("id", "=", pages.hiddenA).execute();
  // Group A's notebook is with a member, due in a week; group B's waits at the health room.
  await recordHandoff(
    a.groupId,
    {
      to: String(a.members[1]),
      healthRoomId: a.roomId,
      handedAt: new Date().toISOString(),
      dueOn: null,
      note: "",
    },
    { actor: staff.actor },
  );

  const by = { actor: staff.actor };
  const publicResource = { id: 0, name: "公開テストの体操教室" };
  publicResource.id = await createResource(
    resourceInput({
      name: publicResource.name,
      visibility: "public",
      area: "テスト地区",
      lat: "34.62",
      lng: "136.10",
    }),
    by,
  );
  const staffResource = { id: 0, name: "職員だけのテスト相談窓口" };
  staffResource.id = await createResource(
    resourceInput({ name: staffResource.name, visibility: "staff", area: "テスト地区" }),
    by,
  );
  const walkId = await planWalk(
    {
      area: "テスト地区",
      healthRoomId: a.roomId,
      plannedOn: localDate(),
      stops: [{ resourceId: publicResource.id }, { resourceId: staffResource.id }],
    },
    by,
  );

  const groupName = async (id: number) =>
    (
      await getDb()
        .selectFrom("diary_group")
        .select("name")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).name;
  records = {
    groupA: a,
    groupB: b,
    staffId: staff.id,
    pages,
    publicResource,
    staffResource,
    walkId,
    texts,
    penNames: { a: contactsA.penNames, b: contactsB.penNames },
    privateA: { realNames: contactsA.realNames, contacts: contactsA.contacts },
    groupNames: { a: await groupName(a.groupId), b: await groupName(b.groupId) },
  };

  // What must never reach each viewer (staff and admins may see everything).
  const ofA = [
    ...records.penNames.a.map((text) => ({ text, what: "pen name of a member of group A" })),
    { text: records.groupNames.a, what: "name of group A" },
    { text: texts.approvedA, what: "text of group A's approved page" },
  ];
  const ofB = [
    ...records.penNames.b.map((text) => ({ text, what: "pen name of a member of group B" })),
    { text: records.groupNames.b, what: "name of group B" },
    { text: texts.approvedB, what: "text of group B's approved page" },
  ];
  const fromEveryone = [
    ...contactsA.secrets,
    ...contactsB.secrets,
    { text: texts.inReviewA, what: "text of a page in review" },
    { text: texts.flaggedA, what: "text of a page with an open 見守り flag" },
    { text: texts.hiddenA, what: "text of a page hidden from its group" },
    { text: staffResource.name, what: "name of a staff-only resource" },
  ];
  hiddenFrom.anon = [...fromEveryone, ...ofA, ...ofB];
  hiddenFrom.otherGroup = [...fromEveryone, ...ofA];
  hiddenFrom.ownGroup = [...fromEveryone, ...ofB];

  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  for (const viewer of VIEWERS) clients[viewer] = new Client(server.url);
  await clients.otherGroup.loginParticipant(b.codes[0]!);
  await clients.ownGroup.loginParticipant(a.codes[0]!);
  await clients.staff.loginStaff(staff.login, staff.password);
  await clients.admin.loginStaff(admin.login, admin.password);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// Checking one answer
// ---------------------------------------------------------------------------------------------

function describeAnswer(response: Response) {
  const location = response.headers.get("location");
  return location ? `${response.status} → ${location}` : String(response.status);
}

/** The problems with one viewer's GET of one URL (none: as the rule says). */
async function check(viewer: Viewer, url: string, c: Case): Promise<string[]> {
  const expected = c.expect[viewer];
  const response = await clients[viewer].get(url);
  const type = response.headers.get("content-type") ?? "";
  const textual = /^(text\/|application\/([\w.+-]*\+)?json)/.test(type);
  const body = textual ? await response.text() : Buffer.from(await response.arrayBuffer());
  const where = `GET ${url} as ${VIEWER_NAMES[viewer]}`;
  const problems: string[] = [];

  let wantStatus: number;
  let wantLocation: string | null = null;
  if (typeof expected === "number") wantStatus = expected;
  else {
    wantStatus = 302;
    if (expected === "login" || expected === "code")
      wantLocation =
        url === "/" ? `/${expected}` : `/${expected}?redirectTo=${encodeURIComponent(url)}`;
    else
      wantLocation =
        typeof expected.redirect === "string" ? expected.redirect : expected.redirect(records);
  }
  const want = wantLocation ? `${wantStatus} → ${wantLocation}` : String(wantStatus);
  if (
    response.status !== wantStatus ||
    (wantLocation !== null && response.headers.get("location") !== wantLocation)
  ) {
    problems.push(`${where}: expected ${want}, got ${describeAnswer(response)}`);
  } else if (wantStatus === 200) {
    const wantType = c.type ?? HTML;
    if (!wantType.test(type)) problems.push(`${where}: expected a ${wantType} body, got "${type}"`);
    if (body.length === 0) problems.push(`${where}: empty body`);
    for (const text of c.shows?.(records)[viewer] ?? [])
      if (typeof body !== "string" || !body.includes(text))
        problems.push(`${where}: should show "${text}"`);
  } else if (wantStatus === 405 && c.type && !c.type.test(type)) {
    problems.push(`${where}: expected a ${c.type} body, got "${type}"`);
  }
  if (typeof body === "string") problems.push(...secretsIn(body, viewer, where));
  return problems;
}

/**
 * The same URL as a client-side navigation asks for it (single fetch: `/x.data`, `/_root.data`
 * for `/`): its parent routes' loaders run too, so the answer need not be the page's, but a
 * viewer refused the page must not get a 200, and nobody gets a text they may not see.
 */
async function checkData(viewer: Viewer, url: string, c: Case): Promise<string[]> {
  const [pathname, search] = url.split("?") as [string, string | undefined];
  const dataUrl = `${pathname === "/" ? "/_root" : pathname}.data${search ? `?${search}` : ""}`;
  const response = await clients[viewer].get(dataUrl);
  const body = await response.text();
  const where = `GET ${dataUrl} as ${VIEWER_NAMES[viewer]}`;
  const problems = secretsIn(body, viewer, where);
  if (c.expect[viewer] !== 200 && response.status === 200)
    problems.push(
      `${where}: 200, but the page itself is refused (${JSON.stringify(c.expect[viewer])})`,
    );
  return problems;
}

function secretsIn(body: string, viewer: Viewer, where: string): string[] {
  return hiddenFrom[viewer]
    .filter((secret) => body.includes(secret.text))
    .map((secret) => `${where}: the body shows the ${secret.what} ("${secret.text}")`);
}

// ---------------------------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------------------------

describe("the rule table", () => {
  it("finds the route modules", () => {
    expect(ON_DISK.length).toBeGreaterThan(10);
    expect(urlPattern("public.resources.export[.]hsds[.]json")).toBe(
      "/public/resources/export.hsds.json",
    );
    expect(urlPattern("resources.map_.points")).toBe("/resources/map/points");
    expect(urlPattern("walks.$walkId._index")).toBe("/walks/:walkId");
    expect(urlPattern("_index")).toBe("/");
  });

  it("has no rule for a route module that does not exist", () => {
    const ids = new Set(ON_DISK.map((r) => r.id));
    const stale = Object.keys(RULES)
      .filter((id) => !ids.has(id))
      .map((id) => `rule "${id}" has no module in app/routes: remove it or fix its name`);
    expect(stale).toEqual([]);
  });

  it("matches the server build (else run `npm run build`)", () => {
    const built = routesInBuild();
    expect(built.size, "no route table found in build/index.js").toBeGreaterThan(0);
    const problems: string[] = [];
    for (const route of ON_DISK) {
      const pattern = built.get(route.id);
      if (pattern === undefined)
        problems.push(
          `${route.file} is not in build/index.js: the build is stale, run npm run build`,
        );
      else if (pattern !== route.pattern)
        problems.push(`${route.file}: the walk reads ${route.pattern}, Remix built ${pattern}`);
    }
    const ids = new Set(ON_DISK.map((r) => r.id));
    for (const id of built.keys())
      if (!ids.has(id))
        problems.push(`routes/${id} is in build/index.js but not in app/routes: run npm run build`);
    expect(problems).toEqual([]);
  });
});

describe("a participant of the group", () => {
  // The walk checks this for every route; here it is spelled out for the group page.
  it("sees pen names and approved pages on the group page, never a real name or contact", async () => {
    const html = await (await clients.ownGroup.get(`/g/${records.groupA.groupId}`)).text();
    for (const text of [...records.penNames.a, records.texts.approvedA])
      expect(html).toContain(text);
    for (const text of [
      ...records.privateA.realNames,
      ...records.privateA.contacts,
      records.texts.inReviewA,
      records.texts.flaggedA,
      records.texts.hiddenA,
      records.texts.approvedB,
      ...records.penNames.b,
    ])
      expect(html).not.toContain(text);
  });
});

describe("every route, as each viewer", () => {
  for (const route of ON_DISK) {
    const rule = RULES[route.id];
    if (!rule) {
      it(`GET ${route.pattern} (${route.file})`, () => {
        expect.fail(
          `no rule for ${route.pattern}: add a rule for ${route.file} — RULES["${route.id}"] ` +
            `in test/integration/route-walk.test.ts, saying what anonymous visitors, ` +
            `participants of another group and of the group, staff and admins get`,
        );
      });
      continue;
    }
    it(`GET ${route.pattern} (${route.file})`, async () => {
      expect(await walk(route, rule)).toEqual([]);
    });
  }
});

/** Every case of a route, as every viewer: the problems found (none: as the rule says). */
async function walk(route: RouteModule, rule: RouteRule): Promise<string[]> {
  const problems: string[] = [];
  for (const c of casesOf(rule)) {
    const url = fillPattern(route, c.params?.(records) ?? {}) + (c.query ?? "");
    const found = await Promise.all(
      VIEWERS.map(async (viewer) => [
        ...(await check(viewer, url, c)),
        ...(await checkData(viewer, url, c)),
      ]),
    );
    problems.push(...found.flat().map((p) => (c.what ? `${c.what}: ${p}` : p)));
  }
  return problems;
}
