/** Expected failures as thrown Responses; app/components/error-page.tsx renders them in Japanese. */
import { getLangFromCookieHeader, translate, type MessageKey } from "../i18n/i18n";

export const CLIENT_IP_HEADER = "x-kokan-client-ip";

export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

export function badRequest(): never {
  throw new Response("Bad Request", { status: 400 });
}

/** The media type of the body, lower case, without parameters such as the boundary. */
export function mediaType(request: Request): string {
  return (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * A refusal with its message as plain text: resource routes return the body as it is, and pages
 * show the error boundary's message for the status instead.
 */
function refuse(request: Request, status: number, key: MessageKey): never {
  const lang = getLangFromCookieHeader(request.headers.get("Cookie"));
  throw new Response(translate(lang, key), {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * The fields of a form POST. Only what our forms send is read: urlencoded, and multipart where the
 * route says it takes files. Any other body (JSON, plain text, none) is a 415 and a body that
 * cannot be parsed a 400, rather than the exception from request.formData() that becomes a 500.
 */
export async function readForm(
  request: Request,
  options: { multipart?: boolean } = {},
): Promise<FormData> {
  const type = mediaType(request);
  if (
    type !== "application/x-www-form-urlencoded" &&
    !(options.multipart && type === "multipart/form-data")
  ) {
    refuse(request, 415, "errorPage.415");
  }
  try {
    return await request.formData();
  } catch {
    refuse(request, 400, "errorPage.400");
  }
}

/** The server overwrites this header with the socket's address, so it cannot be spoofed. */
export function getClientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "";
}

/** Parses a positive integer route parameter, or answers 404. */
export function requireIdParam(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,15}$/.test(value)) notFound();
  return Number(value);
}

/** Any base works for the check: only a path of our own resolves back to it. */
const REDIRECT_BASE = "https://kokan-nikki.invalid";

/**
 * A `redirectTo` from a form or an address, as a path on this site, or the fallback. The value
 * must be a path that `new URL(value, origin)` resolves to the same origin with nothing removed
 * on the way: the URL parser silently drops tabs and line feeds (`/\t/evil.example` becomes
 * `//evil.example`, another site) and leading or trailing control characters, so a value holding
 * any control character is refused rather than cleaned. The answer is the parsed path, search and
 * fragment, percent-encoded: a `Location` header cannot carry non-ASCII text.
 */
export function safeRedirectPath(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/",
): string {
  // eslint-disable-next-line no-control-regex
  if (typeof to !== "string" || !to.startsWith("/") || /[\u0000-\u001f\u007f]/.test(to)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  return url.pathname + url.search + url.hash;
}
