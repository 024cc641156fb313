import { useT } from "~/i18n/use-t";
import { haversineMeters, type LatLng } from "~/utils/route-order";

interface SketchStop {
  position: number;
  lat: number | null;
  lng: number | null;
}

const WIDTH = 640;
const HEIGHT = 300;
const PAD = 28;
const SCALES = [25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000];

/**
 * A sketch of the walk drawn from the coordinates alone (no map tiles): the health room, the
 * numbered stops and the line between them in walking order, north up, with a scale bar.
 * Stops without coordinates are left out; the sheet's list says so.
 */
export function RouteSketch({ start, stops }: { start: LatLng | null; stops: SketchStop[] }) {
  const t = useT();
  const located = stops.filter((s): s is SketchStop & LatLng => s.lat !== null && s.lng !== null);
  const points: LatLng[] = [...(start ? [start] : []), ...located];
  if (points.length === 0) return <p className="muted">{t("walks.sketchEmpty")}</p>;

  // Equirectangular projection around the middle latitude: true enough over a few kilometres.
  const midLat = points.reduce((sum, p) => sum + p.lat, 0) / points.length;
  const k = Math.cos((midLat * Math.PI) / 180);
  const xs = points.map((p) => p.lng * k);
  const ys = points.map((p) => p.lat);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  // Units (degrees of latitude) per pixel; a lone point gets a 500 m wide frame.
  const span = Math.max((maxX - minX) / (WIDTH - 2 * PAD), (maxY - minY) / (HEIGHT - 2 * PAD));
  const unit = span > 0 ? span : 0.0045 / (WIDTH - 2 * PAD);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const project = (p: LatLng) => ({
    x: WIDTH / 2 + (p.lng * k - cx) / unit,
    y: HEIGHT / 2 - (p.lat - cy) / unit,
  });

  const metresPerPixel = haversineMeters({ lat: midLat, lng: 0 }, { lat: midLat + unit, lng: 0 });
  const scale = [...SCALES].reverse().find((m) => m / metresPerPixel <= WIDTH / 4) ?? SCALES[0]!;
  const scalePx = scale / metresPerPixel;

  const line = points.map(project);
  const home = start ? project(start) : null;
  const label = t("walks.sketchLabel", {
    order: located.map((s) => s.position).join(" → ") || "—",
  });
  return (
    <svg
      className="route-sketch"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      data-testid="route-sketch"
    >
      <rect x="0.5" y="0.5" width={WIDTH - 1} height={HEIGHT - 1} className="route-sketch__frame" />
      {line.length > 1 ? (
        <polyline
          points={line.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}
          className="route-sketch__line"
        />
      ) : null}
      {home ? (
        <g className="route-sketch__room">
          <rect x={home.x - 11} y={home.y - 11} width="22" height="22" />
          <text x={home.x} y={home.y + 5} textAnchor="middle">
            {t("walks.sketchRoom")}
          </text>
        </g>
      ) : null}
      {located.map((s) => {
        const p = project(s);
        return (
          <g key={s.position} className="route-sketch__stop" data-testid="sketch-stop">
            <circle cx={p.x} cy={p.y} r="11" />
            <text x={p.x} y={p.y + 5} textAnchor="middle">
              {s.position}
            </text>
          </g>
        );
      })}
      <g className="route-sketch__north" transform={`translate(${WIDTH - 22}, 14)`}>
        <path d="M0 0 L7 18 L0 13 L-7 18 Z" />
        <text x="0" y="32" textAnchor="middle">
          N
        </text>
      </g>
      <g className="route-sketch__scale" transform={`translate(${PAD}, ${HEIGHT - 14})`}>
        <path d={`M0 -6 V0 H${scalePx.toFixed(1)} V-6`} />
        <text x={scalePx + 6} y="0">
          {scale >= 1000 ? `${scale / 1000} km` : `${scale} m`}
        </text>
      </g>
    </svg>
  );
}
