// The equity curve as pixels: cumulative realized P/L, trade by trade, as a line over a
// shaded area, green above $0 and red below, on Discord's dark background. Pure: RGB bytes in,
// the PNG encoding lives at the edge (src/discord/png.ts). No text is drawn (the embed around
// the image carries the numbers), so no font is needed in the Worker.

export interface Raster {
  width: number;
  height: number;
  /** width × height × 3 bytes, rows top to bottom. */
  rgb: Uint8Array;
}

type Rgb = readonly [number, number, number];
const BACKGROUND: Rgb = [0x2b, 0x2d, 0x31];
const GRID: Rgb = [0x3f, 0x41, 0x47];
const ZERO: Rgb = [0x80, 0x84, 0x8e];
const UP: Rgb = [0x57, 0xf2, 0x87];
const DOWN: Rgb = [0xed, 0x42, 0x45];
const PAD = 12;

function blend(a: Rgb, b: Rgb, share: number): Rgb {
  return [0, 1, 2].map((i) => Math.round((a[i] ?? 0) * (1 - share) + (b[i] ?? 0) * share)) as unknown as Rgb;
}

/** The curve starts at $0 before the first trade; `values` are the cumulative P/L after each. */
export function equityChart(values: readonly number[], width = 640, height = 200): Raster {
  const rgb = new Uint8Array(width * height * 3);
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 3;
    rgb[i] = c[0];
    rgb[i + 1] = c[1];
    rgb[i + 2] = c[2];
  };
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) set(x, y, BACKGROUND);
  for (let k = 1; k < 4; k++) for (let x = 0; x < width; x++) set(x, Math.round((height * k) / 4), GRID);

  const points = [0, ...values];
  const lo = Math.min(0, ...points);
  const hi = Math.max(0, ...points);
  const span = hi - lo || 1;
  const yOf = (v: number) => Math.round(PAD + ((hi - v) / span) * (height - 2 * PAD));
  const xOf = (i: number) =>
    Math.round(PAD + (points.length === 1 ? 0 : (i / (points.length - 1)) * (width - 2 * PAD)));
  const zeroY = yOf(0);

  // Each column's curve height, linear between the points.
  const curveY = new Float64Array(width).fill(Number.NaN);
  for (let i = 1; i < points.length; i++) {
    const [x0, x1] = [xOf(i - 1), xOf(i)];
    const [y0, y1] = [yOf(points[i - 1] ?? 0), yOf(points[i] ?? 0)];
    for (let x = x0; x <= x1; x++) curveY[x] = x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  // The area between the curve and $0, then the $0 line, then the curve two pixels thick.
  for (let x = 0; x < width; x++) {
    const cy = curveY[x] ?? Number.NaN;
    if (Number.isNaN(cy)) continue;
    const above = cy <= zeroY;
    const fill = blend(BACKGROUND, above ? UP : DOWN, 0.25);
    for (let y = Math.round(Math.min(cy, zeroY)); y <= Math.round(Math.max(cy, zeroY)); y++) set(x, y, fill);
  }
  for (let x = PAD; x < width - PAD; x++) set(x, zeroY, ZERO);
  for (let x = 0; x < width; x++) {
    const cy = curveY[x] ?? Number.NaN;
    const prev = curveY[x - 1] ?? cy;
    if (Number.isNaN(cy)) continue;
    const color = cy <= zeroY ? UP : DOWN;
    // Join the previous column's height to this one's, so steep steps stay a line.
    const from = Math.round(Math.min(cy, Number.isNaN(prev) ? cy : prev));
    const to = Math.round(Math.max(cy, Number.isNaN(prev) ? cy : prev));
    for (let y = from - 1; y <= to + 1; y++) set(x, y, color);
  }
  return { width, height, rgb };
}
