/**
 * The order of the stops of a town walk (まち歩き): a nearest-neighbour route from a start point
 * (the health room), then the stops without coordinates in name order. A greedy route is not the
 * shortest one, but for the ten or twenty stops of a walk it is close enough and easy to explain
 * ("always the nearest place not yet visited"). Pure: no server code, usable in the browser too.
 */

export interface LatLng {
  lat: number;
  lng: number;
}

export interface RouteStop {
  name: string;
  lat: number | null;
  lng: number | null;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine formula, mean Earth radius). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const byName = (a: RouteStop, b: RouteStop) => a.name.localeCompare(b.name, "ja");

function located<T extends RouteStop>(stop: T): stop is T & LatLng {
  return stop.lat !== null && stop.lng !== null;
}

/**
 * The stops in walking order: from `start`, always the nearest stop not yet visited (ties by
 * name); stops without coordinates follow in name order. Without a start point the walk begins
 * at the located stop that comes first by name.
 */
export function nearestNeighbourOrder<T extends RouteStop>(start: LatLng | null, stops: T[]): T[] {
  const remaining = stops.filter(located).sort(byName);
  const unlocated = stops.filter((s) => !located(s)).sort(byName);
  const route: T[] = [];
  let here: LatLng | null = start;
  while (remaining.length > 0) {
    let best = 0;
    if (here) {
      let bestDistance = Infinity;
      for (let i = 0; i < remaining.length; i++) {
        const d = haversineMeters(here, remaining[i]!);
        // Strictly less: on a tie the stop earlier by name (already sorted) stays.
        if (d < bestDistance) {
          bestDistance = d;
          best = i;
        }
      }
    }
    const [next] = remaining.splice(best, 1);
    route.push(next!);
    here = next!;
  }
  return [...route, ...unlocated];
}

/** Length in metres of the walk from `start` through the located stops, in the given order. */
export function routeLengthMeters(start: LatLng | null, stops: RouteStop[]): number {
  let total = 0;
  let here = start;
  for (const stop of stops.filter(located)) {
    if (here) total += haversineMeters(here, stop);
    here = stop;
  }
  return total;
}
