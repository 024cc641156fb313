/**
 * Request body limits per route, enforced in Express before Remix reads anything (decision 029).
 * A body whose Content-Length is over the route's limit is refused at once, unread; a body
 * without one (chunked) is counted as it streams in and refused at the chunk that crosses the
 * limit: reading stops there, the route's reader sees the body end in an error, and the answer is
 * a 413 with `Connection: close`, so the rest of the body is never read.
 */
import type { NextFunction, Request, Response } from "express";

export interface BodyLimitRule {
  /** Matched against the path, without the query. */
  path: RegExp;
  bytes: number;
}

export class BodyTooLargeError extends Error {
  constructor(public readonly limit: number) {
    super(`Request body over ${limit} bytes`);
  }
}

/** The first rule whose path matches, or the default. */
export function bodyLimitFor(pathname: string, rules: BodyLimitRule[], fallback: number): number {
  return rules.find((rule) => rule.path.test(pathname))?.bytes ?? fallback;
}

/** How long a refused client gets to read the answer before the connection is closed. */
const LINGER_MS = 2000;

/**
 * The middleware. `answer` words the 413 (its form depends on the route). The answer is written
 * at once but the connection is closed only after a short wait: a client still sending its body
 * reads the answer meanwhile, held back by TCP flow control since nothing more is read, instead
 * of losing it to the reset a closed socket sends.
 */
export function limitRequestBodies(options: {
  rules: BodyLimitRule[];
  fallback: number;
  answer: (req: Request, limit: number) => { contentType: string; body: string };
}) {
  return (req: Request, res: Response, next: NextFunction) => {
    const limit = bodyLimitFor(req.path, options.rules, options.fallback);
    const refuse = () => {
      // Remix may have answered already (a route that never read the body).
      if (res.headersSent) return;
      res.locals.bodyRefused = true;
      const { contentType, body } = options.answer(req, limit);
      res.writeHead(413, {
        "Content-Type": contentType,
        "Content-Length": Buffer.byteLength(body),
        Connection: "close",
      });
      res.write(body);
      const end = () => {
        clearTimeout(timer);
        if (!res.writableEnded) res.end();
      };
      const timer = setTimeout(end, LINGER_MS);
      timer.unref();
      req.socket.once("close", end);
    };
    const declared = req.headers["content-length"];
    if (declared !== undefined) {
      // Node's parser never delivers more than Content-Length: refuse now, read nothing.
      if (!/^\d+$/.test(declared) || Number(declared) > limit) return refuse();
      return next();
    }
    if (req.headers["transfer-encoding"] === undefined) return next();
    let seen = 0;
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= limit) return;
      req.off("data", count);
      req.pause();
      refuse();
      // This listener runs before the reader's (it was added first): the reader gets the error
      // instead of this chunk, and its route fails to read the form without answering.
      if (req.listenerCount("error") > 0) req.emit("error", new BodyTooLargeError(limit));
    };
    req.on("data", count);
    // Adding a "data" listener starts the flow; the reader resumes it when it wants the body.
    req.pause();
    next();
  };
}
