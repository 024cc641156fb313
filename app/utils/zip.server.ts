/**
 * A small ZIP writer (PKWARE APPNOTE 6.3, no ZIP64, no encryption) for exports staff download.
 * Entries are written one after another as they are produced, so an export holds one file in
 * memory at a time: text is deflated (zlib), images are stored as they are (JPEG does not shrink).
 * Names are UTF-8 (general purpose flag bit 11), which unzip, Windows Explorer and macOS read.
 *
 * No library in the dependency list writes ZIP files; this is the few dozen lines the format
 * needs (decision 025), checked by `unzip -t` in its test.
 */
import zlib from "node:zlib";

export interface ZipEntry {
  /** Path inside the archive, with "/" separators; no leading "/" and no "..". */
  name: string;
  data: Buffer;
  /** Deflate (text) or store (already compressed images). */
  compress?: boolean;
}

const LIMIT = 0xffffffff;
const UTF8_NAMES = 1 << 11;

/** MS-DOS date and time fields of a moment, in Japan (the archive's readers are there). */
function dosDateTime(at: Date): { date: number; time: number } {
  const local = new Date(at.getTime() + 9 * 60 * 60 * 1000);
  const year = Math.max(1980, local.getUTCFullYear());
  return {
    date: ((year - 1980) << 9) | ((local.getUTCMonth() + 1) << 5) | local.getUTCDate(),
    time: (local.getUTCHours() << 11) | (local.getUTCMinutes() << 5) | (local.getUTCSeconds() >> 1),
  };
}

function checkName(name: string) {
  if (
    !name ||
    name.startsWith("/") ||
    name.includes("\\") ||
    name.split("/").some((part) => part === ".." || part === "")
  )
    throw new Error(`bad zip entry name: ${name}`);
}

/**
 * The archive as a sequence of chunks: each entry's local header and data as it comes, then the
 * central directory. `entries` may be lazy (an async generator reading files one by one).
 */
export async function* zipChunks(
  entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
  at: Date = new Date(),
): AsyncGenerator<Buffer> {
  const { date, time } = dosDateTime(at);
  const central: Buffer[] = [];
  const names = new Set<string>();
  let offset = 0;
  let count = 0;
  for await (const entry of entries) {
    checkName(entry.name);
    if (names.has(entry.name)) throw new Error(`duplicate zip entry: ${entry.name}`);
    names.add(entry.name);
    const name = Buffer.from(entry.name, "utf8");
    const crc = zlib.crc32(entry.data);
    const method = entry.compress ? 8 : 0;
    const body = entry.compress ? zlib.deflateRawSync(entry.data) : entry.data;
    if (entry.data.length >= LIMIT || offset + body.length + 30 + name.length >= LIMIT)
      throw new Error("zip archive too large (no ZIP64)");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    // extra 30, comment 32, disk 34, internal attributes 36: all 0
    header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    yield Buffer.concat([local, name]);
    yield body;
    offset += local.length + name.length + body.length;
    count++;
  }
  if (count >= 0xffff) throw new Error("too many zip entries (no ZIP64)");
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield directory;
  yield end;
}

/** The chunks as a web stream, for a Response body. */
export function zipStream(chunks: AsyncGenerator<Buffer>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** The whole archive in memory (tests, small exports). */
export async function zipBuffer(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>) {
  const parts: Buffer[] = [];
  for await (const chunk of zipChunks(entries)) parts.push(chunk);
  return Buffer.concat(parts);
}
