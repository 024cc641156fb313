import { describe, expect, it } from "vitest";
import { DEFAULT_TILE_URL, getMapTiles, tileCspSource } from "./map-tiles.server";

describe("tileCspSource", () => {
  it("allows exactly the tile host", () => {
    expect(tileCspSource(DEFAULT_TILE_URL)).toBe("https://tile.openstreetmap.org");
    expect(tileCspSource("http://tiles.city.example.lg.jp:8080/osm/{z}/{x}/{y}.png")).toBe(
      "http://tiles.city.example.lg.jp:8080",
    );
  });

  it("turns {s} subdomains into the wildcard of that host", () => {
    expect(tileCspSource("https://{s}.tile.example.org/{z}/{x}/{y}.png")).toBe(
      "https://*.tile.example.org",
    );
  });

  it("keeps a path on this server to 'self'", () => {
    expect(tileCspSource("/tiles/{z}/{x}/{y}.png")).toBe("'self'");
  });

  it("refuses templates it cannot reduce to one host", () => {
    expect(tileCspSource("https://{s}-{z}.example.org/{x}/{y}.png")).toBeNull();
    expect(tileCspSource("ftp://example.org/{z}/{x}/{y}.png")).toBeNull();
    expect(tileCspSource("//example.org/{z}/{x}/{y}.png")).toBeNull();
    expect(tileCspSource("https://user@example.org/{z}/{x}/{y}.png")).toBeNull();
  });
});

describe("getMapTiles", () => {
  it("defaults to OpenStreetMap with its attribution", () => {
    const tiles = getMapTiles({});
    expect(tiles.url).toBe(DEFAULT_TILE_URL);
    expect(tiles.attribution).toContain("OpenStreetMap");
    expect(tiles.cspSource).toBe("https://tile.openstreetmap.org");
  });

  it("leaves tiles out when the template is unusable", () => {
    expect(getMapTiles({ MAP_TILE_URL: "file:///etc/tiles/{z}/{x}/{y}.png" })).toMatchObject({
      url: null,
      cspSource: null,
    });
  });
});
