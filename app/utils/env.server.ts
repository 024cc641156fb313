/**
 * The environment variables the app reads, with their defaults. README.md documents each one;
 * keep the two in step.
 */
import path from "node:path";

export interface AppEnv {
  port: number;
  databasePath: string;
  /** `postgres://…`: the shared PostgreSQL database instead of the SQLite file (issue 16). */
  databaseUrl: string | undefined;
  uploadsDir: string;
  sessionSecret: string | undefined;
  /**
   * Decided once by app/server.ts and passed down as APP_MODE (the bundler inlines NODE_ENV, so
   * the app cannot read it at run time). `demo` (npm start): demo data, a built-in session secret,
   * cookies over plain HTTP. `production`: SESSION_SECRET required, Secure cookies.
   */
  mode: "production" | "demo" | "development" | "test";
  /**
   * The address participants use (`PUBLIC_URL`, e.g. https://nikki.example-city.lg.jp), printed
   * on their cards; unset: the address the staff member reached the server by.
   */
  publicUrl: string | undefined;
}

export function getEnv(): AppEnv {
  const port = Number(process.env.PORT ?? 3000);
  return {
    port: Number.isInteger(port) && port >= 0 ? port : 3000,
    databasePath: path.resolve(process.env.DATABASE_PATH ?? "db/app.db"),
    databaseUrl: parseDatabaseUrl(process.env.DATABASE_URL),
    uploadsDir: path.resolve(process.env.UPLOADS_DIR ?? "uploads"),
    sessionSecret: process.env.SESSION_SECRET || undefined,
    mode: parseMode(process.env.APP_MODE),
    publicUrl: parsePublicUrl(process.env.PUBLIC_URL),
  };
}

function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^postgres(ql)?:\/\//.test(value))
    throw new Error("DATABASE_URL must start with postgres:// (unset it to use DATABASE_PATH)");
  return value;
}

function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function parseMode(value: string | undefined): AppEnv["mode"] {
  return value === "demo" || value === "development" || value === "test" ? value : "production";
}
