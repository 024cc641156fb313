/**
 * npm run user:create-admin -- --login <id> --name "<display name>"
 *
 * Creates an administrator in DATABASE_PATH (migrating first). The password is read from
 * ADMIN_PASSWORD if set, otherwise asked for twice on the terminal without echo.
 */
import { parseArgs } from "node:util";
import { isMessageKey, translate } from "~/i18n/i18n";
import { createStaffUser, StaffCreateSchema } from "~/models/staff.server";
import { closeDb, getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { migrateToLatest } from "./migrator";

function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    let value = "";
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode?.(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") process.exit(130);
        if (ch === "\u007f") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

const { values } = parseArgs({ options: { login: { type: "string" }, name: { type: "string" } } });
if (!values.login || !values.name) {
  console.error('Usage: npm run user:create-admin -- --login <id> --name "<display name>"');
  process.exit(2);
}
let password = process.env.ADMIN_PASSWORD;
if (!password) {
  password = await askHidden("Password (8+ characters): ");
  if ((await askHidden("Again: ")) !== password) {
    console.error("The passwords differ.");
    process.exit(1);
  }
}
const parsed = StaffCreateSchema.safeParse({
  login: values.login,
  displayName: values.name,
  role: "admin",
  password,
});
if (!parsed.success) {
  const say = (m: string) => (isMessageKey(m) ? translate("ja", m) : m);
  console.error(
    parsed.error.issues.map((i) => `${String(i.path[0])}: ${say(i.message)}`).join("\n"),
  );
  process.exit(1);
}
await migrateToLatest(getDb());
try {
  const id = await createStaffUser(parsed.data, { actor: { type: "system" } });
  console.log(`Created administrator "${parsed.data.login}" (id ${id}).`);
} catch (error) {
  if (error instanceof DomainError) {
    console.error(error.key === "error.loginTaken" ? "That login id is already taken." : error.key);
    process.exit(1);
  }
  throw error;
} finally {
  await closeDb();
}
