/** Expected failures as thrown Responses; app/components/error-page.tsx renders them in Japanese. */

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

/** The server overwrites this header with the socket's address, so it cannot be spoofed. */
export function getClientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "";
}

/** Parses a positive integer route parameter, or answers 404. */
export function requireIdParam(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,15}$/.test(value)) notFound();
  return Number(value);
}

/** Only same-site relative paths, so that ?redirectTo cannot send people elsewhere. */
export function safeRedirectPath(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/",
) {
  if (
    typeof to !== "string" ||
    !to.startsWith("/") ||
    to.startsWith("//") ||
    to.startsWith("/\\")
  ) {
    return fallback;
  }
  return to;
}
