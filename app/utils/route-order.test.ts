import { describe, expect, it } from "vitest";
import { haversineMeters, nearestNeighbourOrder, routeLengthMeters } from "./route-order";

describe("haversineMeters", () => {
  it("measures one degree of latitude as about 111.2 km", () => {
    expect(haversineMeters({ lat: 34, lng: 136 }, { lat: 35, lng: 136 })).toBeCloseTo(111_195, -1);
  });

  it("shrinks a degree of longitude with the cosine of the latitude", () => {
    const atEquator = haversineMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 1 });
    const at60 = haversineMeters({ lat: 60, lng: 0 }, { lat: 60, lng: 1 });
    expect(at60 / atEquator).toBeCloseTo(0.5, 2);
  });

  it("gives Tokyo station to Osaka station as about 403 km, the same both ways", () => {
    const tokyo = { lat: 35.681236, lng: 139.767125 };
    const osaka = { lat: 34.702485, lng: 135.495951 };
    const d = haversineMeters(tokyo, osaka);
    expect(d / 1000).toBeGreaterThan(400);
    expect(d / 1000).toBeLessThan(406);
    expect(haversineMeters(osaka, tokyo)).toBeCloseTo(d, 6);
    expect(haversineMeters(tokyo, tokyo)).toBe(0);
  });
});

describe("nearestNeighbourOrder", () => {
  const room = { lat: 34.6291, lng: 136.1089 };
  // About 110 m per 0.001° of latitude: A is nearest the room, C farthest, B beside C.
  const stop = (name: string, dLat: number | null, dLng = 0) => ({
    name,
    lat: dLat === null ? null : room.lat + dLat,
    lng: dLat === null ? null : room.lng + dLng,
  });

  it("goes always to the nearest stop not yet visited, not in the order given", () => {
    const stops = [stop("C", 0.01), stop("A", 0.001), stop("B", 0.009, 0.002), stop("D", -0.002)];
    // From the room: A (110 m), then D (330 m from A), then B, then C (B is nearer D than C is).
    expect(nearestNeighbourOrder(room, stops).map((s) => s.name)).toEqual(["A", "D", "B", "C"]);
  });

  it("is greedy: the slightly nearer stop first, even when it lies the other way", () => {
    const stops = [stop("East", 0, 0.0021), stop("FarEast", 0, 0.004), stop("West", 0, -0.002)];
    const order = nearestNeighbourOrder(room, stops);
    expect(order.map((s) => s.name)).toEqual(["West", "East", "FarEast"]);
    // The length of the walk is the sum of its legs: 0.002° + 0.0041° + 0.0019° of longitude.
    const degree = haversineMeters(room, { lat: room.lat, lng: room.lng + 1 });
    expect(routeLengthMeters(room, order)).toBeCloseTo(0.008 * degree, -1);
  });

  it("puts stops without coordinates last, in name order", () => {
    const stops = [stop("ゆ", null), stop("far", 0.01), stop("あ", null), stop("near", 0.001)];
    expect(nearestNeighbourOrder(room, stops).map((s) => s.name)).toEqual([
      "near",
      "far",
      "あ",
      "ゆ",
    ]);
  });

  it("breaks a tie by name, and starts at the first located stop by name without a start", () => {
    const stops = [stop("い", 0.001), stop("あ", -0.001), stop("う", 0.002)];
    expect(nearestNeighbourOrder(room, stops).map((s) => s.name)).toEqual(["あ", "い", "う"]);
    expect(nearestNeighbourOrder(null, stops).map((s) => s.name)).toEqual(["あ", "い", "う"]);
    expect(nearestNeighbourOrder(null, [stop("x", null)]).map((s) => s.name)).toEqual(["x"]);
    expect(nearestNeighbourOrder(room, [])).toEqual([]);
  });

  it("keeps every stop exactly once and leaves the input alone", () => {
    const stops = Array.from({ length: 30 }, (_, i) =>
      stop(`s${i}`, i % 7 === 0 ? null : Math.sin(i) * 0.01, Math.cos(i * 3) * 0.01),
    );
    const copy = [...stops];
    const order = nearestNeighbourOrder(room, stops);
    expect(stops).toEqual(copy);
    expect(new Set(order)).toEqual(new Set(stops));
    expect(order).toHaveLength(30);
  });
});
