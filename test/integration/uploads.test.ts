/**
 * Photos sent to the scanning station over HTTP: bad files get a clear Japanese message, nothing
 * is stored, and the server keeps serving; a good photo becomes a page and an OCR job together.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { ROOT } from "../helpers/paths";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let client: Client;
let groupId: number;
const uploads = process.env.UPLOADS_DIR!;
const photo = fs.readFileSync(path.join(ROOT, "test", "fixtures", "ocr", "horizontal.jpg"));

beforeAll(async () => {
  const staff = await makeStaff();
  groupId = (await makeActiveGroup()).groupId;
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: uploads },
  });
  client = new Client(server.url);
  await client.loginStaff(staff.login, staff.password);
});

afterAll(async () => {
  await server?.stop();
});

function storedFiles() {
  const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  return [...list(path.join(uploads, "originals")), ...list(path.join(uploads, "derived"))].length;
}

async function counts() {
  const db = getDb();
  const pages = await db.selectFrom("page").select("id").execute();
  const jobs = await db.selectFrom("ocr_job").select("id").execute();
  return { pages: pages.length, jobs: jobs.length, files: storedFiles() };
}

function crc32(bytes: Buffer) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function pngWithSize(png: Buffer, width: number, height: number) {
  const out = Buffer.from(png);
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type).
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

async function refuses(name: string, bytes: Buffer, status: number, message: string) {
  const before = await counts();
  const response = await client.upload(`/scan/${groupId}/upload`, [{ name, bytes }]);
  expect(response.status, name).toBe(status);
  const body = (await response.json()) as { status: string; key: string };
  expect(body.status).toBe("error");
  // The station shows the catalogue text for this key; check it is the promised one.
  const html = await (await client.get(`/scan/${groupId}`)).text();
  expect(html).toContain("取り込み");
  const { ja } = await import("~/i18n/ja");
  expect(ja[body.key as keyof typeof ja]).toContain(message);
  expect(await counts()).toEqual(before);
}

describe("bad photos", () => {
  it("a text file renamed .jpg", async () => {
    await refuses(
      "note.jpg",
      Buffer.from("これは写真ではありません\n"),
      415,
      "写真のファイルではありません",
    );
  });

  it("an empty file", async () => {
    await refuses("empty.jpg", Buffer.alloc(0), 422, "ファイルが空です");
  });

  it("a truncated JPEG", async () => {
    await refuses(
      "cut.jpg",
      photo.subarray(0, Math.floor(photo.length / 2)),
      422,
      "途中までしかありません",
    );
  });

  it("a 20000×20000 PNG of a few KB", async () => {
    // A small PNG whose header claims 20000×20000: decoding it would need 1.2 GB.
    const bomb = pngWithSize(
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#fff" } })
        .png()
        .toBuffer(),
      20000,
      20000,
    );
    expect(bomb.length).toBeLessThan(1_000_000);
    await refuses("bomb.png", bomb, 413, "画素数が多すぎます");
  });

  it("a file over the size limit", async () => {
    const big = Buffer.concat([photo, Buffer.alloc(26 * 1024 * 1024)]);
    await refuses("huge.jpg", big, 413, "ファイルが大きすぎます");
  });

  it("a HEIC photo, with how to send JPEG instead", async () => {
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from("ftypheic"),
      Buffer.alloc(64),
    ]);
    await refuses("IMG_0001.HEIC", heic, 415, "互換性優先");
  });

  it("leaves the server serving", async () => {
    expect((await client.get(`/scan/${groupId}`)).status).toBe(200);
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
  });
});

describe("good photos", () => {
  it("become a page with its OCR job, and the same bytes twice are stored once", async () => {
    const before = await counts();
    const first = await client.upload(`/scan/${groupId}/upload`, [
      { name: "p1.jpg", bytes: photo },
    ]);
    expect(first.status).toBe(201);
    const added = (await first.json()) as { status: string; pageId: number; pageNumber: number };
    expect(added).toMatchObject({ status: "added", pageNumber: 1 });
    const page = await getDb()
      .selectFrom("page")
      .selectAll()
      .where("id", "=", added.pageId)
      .executeTakeFirstOrThrow();
    expect(page.status).toBe("queued");
    const jobs = await getDb()
      .selectFrom("ocr_job")
      .selectAll()
      .where("page_id", "=", added.pageId)
      .execute();
    expect(jobs).toHaveLength(1);
    // Stored under a name from the hash, never from the upload's name.
    expect(page.original_path).toContain(page.image_sha256);
    expect(page.original_path).not.toContain("p1");

    const again = await client.upload(`/scan/${groupId}/upload`, [
      { name: "copy.jpg", bytes: photo },
    ]);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "duplicate", pageNumber: 1 });
    const after = await counts();
    expect(after.pages).toBe(before.pages + 1);
    expect(after.files).toBe(before.files + 3);
  });

  it("serve only derived images, without EXIF or GPS, to staff only", async () => {
    const withGps = await sharp(photo)
      .withExif({
        IFD0: { Make: "PhoneCo" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 0/1 0/1" },
      })
      .jpeg()
      .toBuffer();
    const response = await client.upload(`/scan/${groupId}/upload`, [
      { name: "gps.jpg", bytes: withGps },
    ]);
    const { pageId } = (await response.json()) as { pageId: number };
    for (const size of ["thumb", "view"]) {
      const image = await client.get(`/pages/${pageId}/image?size=${size}`);
      expect(image.status).toBe(200);
      const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
      expect(meta.exif).toBeUndefined();
    }
    expect((await new Client(server.url).get(`/pages/${pageId}/image?size=view`)).status).toBe(302);
  });
});
