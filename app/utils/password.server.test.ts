import { describe, expect, it } from "vitest";
import { generateAccessCode, hashSecret, parseAccessCode, verifySecret } from "./password.server";

describe("password hashing", () => {
  it("verifies the right secret and stores its parameters", async () => {
    const hash = await hashSecret("correct horse battery");
    expect(hash).toMatch(/^scrypt\$N=131072,r=8,p=1\$/);
    expect(await verifySecret("correct horse battery", hash)).toBe(true);
    expect(await verifySecret("correct horse batterz", hash)).toBe(false);
  });

  it("rejects malformed stored hashes instead of throwing", async () => {
    expect(await verifySecret("x", "plain")).toBe(false);
    expect(await verifySecret("x", "scrypt$N=0,r=8,p=1$AA==$AA==")).toBe(false);
  });
});

describe("access codes", () => {
  it("round-trips through what a person types on a phone", () => {
    const { code, selector, verifier } = generateAccessCode();
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const typed = code.toLowerCase().replace(/-/g, " ");
    expect(parseAccessCode(typed)).toEqual({ selector, verifier });
    // Full-width input from a Japanese keyboard.
    const fullWidth = code.replace(/[0-9A-Z]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) + 0xfee0),
    );
    expect(parseAccessCode(fullWidth)).toEqual({ selector, verifier });
  });

  it("refuses codes of the wrong shape", () => {
    expect(parseAccessCode("")).toBeNull();
    expect(parseAccessCode("ABCD-EFGH")).toBeNull();
    expect(parseAccessCode("ABCD-EFGH-IJK0")).toBeNull();
  });
});
