/**
 * A throw-away PostgreSQL cluster for tests and benchmarks, from the Debian packages' binaries:
 * initdb into a temporary folder, pg_ctl start on a free port (loopback and a private socket
 * folder), removed afterwards. No Docker. PostgreSQL refuses to run as root, so as root it runs
 * as the `postgres` system user the Debian package creates.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface Cluster {
  /** The server's address for one database, e.g. `url("app")`. */
  url(database: string): string;
  dir: string;
  port: number;
  stop(): void;
}

/** The folder with initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function findPostgresBin(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]) {
  const [command, fullArgs] = asRoot
    ? ["runuser", ["-u", "postgres", "--", bin, ...args]]
    : [bin, args];
  const result = spawnSync(command, fullArgs, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(
      `${path.basename(bin)} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
}

export async function startCluster(): Promise<Cluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install -y postgresql)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kokan-pg-"));
  const data = path.join(dir, "data");
  const sockets = path.join(dir, "sockets");
  fs.mkdirSync(sockets);
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  // C collation: text sorts by code point, exactly as SQLite sorts it (ISO times, Japanese names).
  run(path.join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "kokan",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  const port = await freePort();
  run(path.join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-o",
    [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${sockets}`,
      // A test cluster: speed over durability.
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" "),
    "start",
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    url: (database) => `postgres://kokan@127.0.0.1:${port}/${database}`,
    dir,
    port,
    stop,
  };
}

/** An empty database on the cluster (from `template` when given). */
export async function createDatabase(cluster: Cluster, name: string, template?: string) {
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ""}`);
  } finally {
    await admin.end();
  }
  return cluster.url(name);
}

/**
 * For the benchmarks' `--postgres`: a throw-away cluster holding a copy of the SQLite file
 * (`npm run db:copy`'s code), and the server environment that points at it.
 */
export async function postgresCopyOf(file: string) {
  const { copyDatabase } = await import("../../db/copy");
  const cluster = await startCluster();
  const url = await createDatabase(cluster, "bench");
  const t0 = performance.now();
  await copyDatabase({ from: file, to: url });
  console.log(`copied into PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { cluster, env: { DATABASE_URL: url } };
}
