// The equity chart's pixels and the PNG that carries them, read back with the runtime's inflate.
import { describe, expect, it } from "vitest";
import { encodePng } from "../../../src/discord/png";
import { equityChart } from "../../../src/domain/equity-chart";

const pixel = (r: ReturnType<typeof equityChart>, x: number, y: number) => [
  ...r.rgb.slice((y * r.width + x) * 3, (y * r.width + x) * 3 + 3),
];
const UP = [0x57, 0xf2, 0x87];
const DOWN = [0xed, 0x42, 0x45];

/** The chunks of a PNG file: [type, data]. */
function chunks(png: Uint8Array): [string, Uint8Array][] {
  const view = new DataView(png.buffer, png.byteOffset);
  const out: [string, Uint8Array][] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    out.push([new TextDecoder().decode(png.slice(at + 4, at + 8)), png.slice(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  return out;
}

describe("equity chart", () => {
  it("draws a curve that ends +$100 in green at the right edge's top, and one ending −$100 in red at the bottom", () => {
    const gain = equityChart([50, 100], 100, 60);
    expect(pixel(gain, 100 - 12, 12)).toEqual(UP); // PAD 12: the highest point, at the last x
    const loss = equityChart([-50, -100], 100, 60);
    expect(pixel(loss, 100 - 12, 60 - 12)).toEqual(DOWN);
  });
});

describe("PNG", () => {
  it("is a signature, IHDR 640×200 truecolour, IDAT whose rows inflate to filter 0 + the pixels, IEND", async () => {
    const raster = equityChart([100, -200, 50], 640, 200);
    const png = await encodePng(raster);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const parts = chunks(png);
    expect(parts.map(([type]) => type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = new DataView((parts[0]?.[1] ?? new Uint8Array(13)).buffer);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), ihdr.getUint8(8), ihdr.getUint8(9)]).toEqual([640, 200, 8, 2]);

    const inflated = new Uint8Array(
      await new Response(
        new Blob([parts[1]?.[1] ?? new Uint8Array()]).stream().pipeThrough(new DecompressionStream("deflate")),
      ).arrayBuffer(),
    );
    expect(inflated.length).toBe(200 * (1 + 640 * 3));
    const row = 57;
    expect(inflated[row * (1 + 640 * 3)]).toBe(0); // filter: none
    expect([...inflated.slice(row * (1 + 640 * 3) + 1, (row + 1) * (1 + 640 * 3))]).toEqual([
      ...raster.rgb.slice(row * 640 * 3, (row + 1) * 640 * 3),
    ]);
  });
});
