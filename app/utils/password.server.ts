/**
 * Password and access-code hashing with Node's built-in scrypt at the OWASP-recommended cost
 * (N=2^17, r=8, p=1). The parameters are stored with each hash so that they can be raised later
 * without invalidating old hashes.
 */
import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const DEFAULT = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 };

function maxmem(N: number, r: number) {
  return 128 * N * r * 2;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export async function hashSecret(secret: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const { N, r, p, keyLength } = DEFAULT;
  const key = await scrypt(secret.normalize("NFC"), salt, keyLength, {
    N,
    r,
    p,
    maxmem: maxmem(N, r),
  });
  return `scrypt$N=${N},r=${r},p=${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, params, saltB64, keyB64] = stored.split("$");
  if (scheme !== "scrypt" || !params || !saltB64 || !keyB64) return false;
  const values = Object.fromEntries(params.split(",").map((kv) => kv.split("=")));
  const N = Number(values.N);
  const r = Number(values.r);
  const p = Number(values.p);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const expected = Buffer.from(keyB64, "base64");
  const actual = await scrypt(
    secret.normalize("NFC"),
    Buffer.from(saltB64, "base64"),
    expected.length,
    {
      N,
      r,
      p,
      maxmem: maxmem(N, r),
    },
  );
  return crypto.timingSafeEqual(actual, expected);
}

/** A hash of a random value, used to spend the same time when an account does not exist. */
let dummyHash: Promise<string> | undefined;
export function getDummyHash(): Promise<string> {
  dummyHash ??= hashSecret(crypto.randomBytes(16).toString("hex"));
  return dummyHash;
}

// Access codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
// XXXX-XXXX-XXXX. The first four are a public selector used to find the participant; the other
// eight (40 bits) are the secret, stored only as a scrypt hash.
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

function randomCodeChars(n: number): string {
  let out = "";
  while (out.length < n) {
    const byte = crypto.randomBytes(1)[0]!;
    // Rejection sampling keeps the distribution uniform.
    if (byte < 256 - (256 % CODE_ALPHABET.length))
      out += CODE_ALPHABET[byte % CODE_ALPHABET.length];
  }
  return out;
}

export function generateAccessCode(): { code: string; selector: string; verifier: string } {
  const selector = randomCodeChars(4);
  const verifier = randomCodeChars(8);
  return { code: `${selector}-${verifier.slice(0, 4)}-${verifier.slice(4)}`, selector, verifier };
}

/** Accepts what people type: full-width characters, lower case, spaces and hyphens. */
export function parseAccessCode(input: string): { selector: string; verifier: string } | null {
  const compact = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐ー－]/g, "");
  if (compact.length !== 12) return null;
  for (const ch of compact) if (!CODE_ALPHABET.includes(ch)) return null;
  return { selector: compact.slice(0, 4), verifier: compact.slice(4) };
}
