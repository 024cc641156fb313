import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { zipBuffer } from "./zip.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zip-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("zip writer", () => {
  it("writes an archive that unzip tests clean and extracts byte for byte", async () => {
    const text = Buffer.from("<p>日記の書き起こし 𠮷田さん</p>\n".repeat(200), "utf8");
    const binary = crypto.randomBytes(70_000);
    const file = path.join(dir, "a.zip");
    fs.writeFileSync(
      file,
      await zipBuffer([
        { name: "開示/index.html", data: text, compress: true },
        { name: "開示/images/p001.jpg", data: binary },
        { name: "開示/empty.txt", data: Buffer.alloc(0), compress: true },
      ]),
    );
    const tested = execFileSync("unzip", ["-t", file], { encoding: "utf8" });
    expect(tested).toContain("No errors detected");
    const out = path.join(dir, "out");
    execFileSync("unzip", ["-q", file, "-d", out]);
    expect(fs.readFileSync(path.join(out, "開示", "index.html"))).toEqual(text);
    expect(fs.readFileSync(path.join(out, "開示", "images", "p001.jpg"))).toEqual(binary);
    expect(fs.statSync(path.join(out, "開示", "empty.txt")).size).toBe(0);
    // Deflated text is smaller than it was; the image is stored as it is.
    const listing = execFileSync("unzip", ["-v", file], { encoding: "utf8" });
    expect(listing).toMatch(/Defl:N/);
    expect(listing).toMatch(/Stored/);
  });

  it("refuses names that would escape the folder or repeat", async () => {
    for (const name of ["../x", "/etc/x", "a//b", "a\\b", ""])
      await expect(zipBuffer([{ name, data: Buffer.from("x") }])).rejects.toThrow(/bad zip/);
    await expect(
      zipBuffer([
        { name: "a", data: Buffer.from("x") },
        { name: "a", data: Buffer.from("y") },
      ]),
    ).rejects.toThrow(/duplicate/);
  });
});
