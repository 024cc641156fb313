/**
 * Starts the real server (app/server.ts with the built Remix app) as a child process on a free
 * port, against the given SQLite file, and a tiny cookie-keeping HTTP client for it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./paths";

export interface RunningServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer(options: {
  databasePath: string;
  args?: string[];
  env?: Record<string, string>;
}) {
  if (!fs.existsSync(path.join(ROOT, "build", "index.js"))) {
    throw new Error("The Remix build is missing: run `npm run build` first (`npm test` does).");
  }
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "app/server.ts", ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        DATABASE_PATH: options.databasePath,
        NODE_ENV: "test",
        // Tests that need OCR turn it on; the others should not load Tesseract.
        OCR_RUNNER: "off",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  } satisfies RunningServer;
}

export class Client {
  cookie = "";
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  private remember(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const pair = header.split(";")[0]!;
      if (pair.startsWith("__session=")) this.cookie = pair === "__session=" ? "" : pair;
    }
    return response;
  }

  async upload(pathname: string, files: { name: string; bytes: Buffer; type?: string }[]) {
    const body = new FormData();
    for (const f of files)
      body.append(
        "photos",
        new Blob([new Uint8Array(f.bytes)], { type: f.type ?? "image/jpeg" }),
        f.name,
      );
    return this.remember(
      await fetch(this.base + pathname, {
        method: "POST",
        headers: { cookie: this.cookie, origin: this.base },
        body,
        redirect: "manual",
      }),
    );
  }

  async get(pathname: string) {
    return this.remember(
      await fetch(this.base + pathname, { headers: { cookie: this.cookie }, redirect: "manual" }),
    );
  }

  /** Fields as an object, or as pairs when a name repeats (one `line` field per line). */
  async post(
    pathname: string,
    fields: Record<string, string> | Array<[string, string]>,
    options: { origin?: string | null } = {},
  ) {
    const headers: Record<string, string> = {
      cookie: this.cookie,
      "content-type": "application/x-www-form-urlencoded",
    };
    const origin = options.origin === undefined ? this.base : options.origin;
    if (origin !== null) headers.origin = origin;
    return this.remember(
      await fetch(this.base + pathname, {
        method: "POST",
        headers,
        body: new URLSearchParams(fields),
        redirect: "manual",
      }),
    );
  }

  async loginStaff(login: string, password: string) {
    const response = await this.post("/login", { login, password });
    if (response.status !== 302) throw new Error(`staff login failed: ${response.status}`);
    return response;
  }

  async loginParticipant(code: string) {
    const response = await this.post("/code", { code });
    if (response.status !== 302) throw new Error(`participant login failed: ${response.status}`);
    return response;
  }
}
