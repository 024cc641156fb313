// Plain-JavaScript entry of the preprocessing thread: registers tsx's loader, then loads the
// TypeScript worker. (Node 20 does not pass --import loaders on to worker threads.)
import { register } from "tsx/esm/api";

register();
await import("./prepare-worker.ts");
