/**
 * The map's tile source (MAP_TILE_URL, MAP_ATTRIBUTION) and the one CSP `img-src` entry it needs.
 * app/server.ts allows exactly this origin; the map route hands the same URL to the browser, so
 * the two cannot drift apart.
 */

export const DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
export const DEFAULT_ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

export interface MapTiles {
  /** A Leaflet tile URL template, or null when MAP_TILE_URL is unusable (the map works offline). */
  url: string | null;
  /** HTML (Leaflet's attribution control renders it); set by the operator, not by users. */
  attribution: string;
  /** What CSP `img-src` must allow for the tiles ("'self'" for a same-origin path). */
  cspSource: string | null;
}

/**
 * The origin of a tile template: `https://tile.example.org/{z}/{x}/{y}.png` →
 * `https://tile.example.org`; a `{s}` subdomain becomes the wildcard CSP allows
 * (`https://*.tile.example.org`); a path on this server (`/tiles/{z}/{x}/{y}.png`) → `'self'`.
 * Anything else (other placeholders in the host, other schemes) → null: no tiles.
 */
export function tileCspSource(template: string): string | null {
  if (template.startsWith("/") && !template.startsWith("//")) return "'self'";
  const match = /^(https?):\/\/([^/?#]+)(?:[/?#]|$)/i.exec(template);
  if (!match) return null;
  const [, scheme, hostPort] = match as unknown as [string, string, string];
  let host = hostPort;
  if (host.startsWith("{s}.")) host = host.slice(4);
  if (/[{}@*\s]/.test(host)) return null;
  let parsed: URL;
  try {
    parsed = new URL(`${scheme.toLowerCase()}://${host}`);
  } catch {
    return null;
  }
  const wildcard = hostPort.startsWith("{s}.") ? "*." : "";
  return `${parsed.protocol}//${wildcard}${parsed.host}`;
}

export function getMapTiles(env: Record<string, string | undefined> = process.env): MapTiles {
  const url = env.MAP_TILE_URL?.trim() || DEFAULT_TILE_URL;
  const cspSource = tileCspSource(url);
  return {
    url: cspSource ? url : null,
    attribution: env.MAP_ATTRIBUTION?.trim() || DEFAULT_ATTRIBUTION,
    cspSource,
  };
}
