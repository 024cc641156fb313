import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceProvider } from "./utils/nonce";

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
  }
}

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * Renders the whole document to a string. React 18's streaming renderer can pad a chunk with NUL
 * bytes when a multi-byte character (all of our Japanese text) falls on its 2 KB buffer boundary
 * (writeStringChunk flushes the full view instead of the written part; fixed only in React 19),
 * which corrupted words such as 日付 on some pages. Nothing here uses Suspense streaming, so the
 * string renderer costs nothing we need.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  const html = renderToString(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, {
    headers: responseHeaders,
    status: responseStatusCode,
  });
}
