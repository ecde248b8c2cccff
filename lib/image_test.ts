import { assertEquals, assertThrows } from "./assert.ts";
import { aboveEachOther, encodePng, imageGrid, pngSize, viridis } from "./image.ts";

Deno.test("imageGrid lays tiles out with borders, scales them and scales each to 0–255", () => {
  const tiles = [Float32Array.from([0, 1, 2, 3]), Float32Array.from([5, 5, 5, 5])];
  const image = imageGrid(tiles, { height: 2, width: 2, channels: 1, columns: 2, scale: 2 });
  assertEquals(
    [image.width, image.height],
    [2 * 4 + 3, 4 + 2],
    "2 tiles of 4×4 pixels, 1-pixel borders",
  );
  const pixel = (x: number, y: number) => image.data[3 * (y * image.width + x)];
  assertEquals(pixel(0, 0), 255, "the border is white");
  assertEquals(
    [pixel(1, 1), pixel(3, 1), pixel(1, 3), pixel(3, 3)],
    [0, 85, 170, 255],
    "values 0, 1, 2, 3 of the first tile",
  );
  assertEquals(pixel(6, 1), 0, "a constant tile is drawn at its minimum, not divided by zero");
  const rgb = imageGrid([[1, 0, 0]], { height: 1, width: 1, channels: 3, range: [0, 1] });
  assertEquals(Array.from(rgb.data.subarray(3 * 4, 3 * 4 + 3)), [255, 0, 0], "an RGB tile");
  assertThrows(
    () => imageGrid([[1, 2, 3]], { height: 2, width: 2, channels: 1 }),
    Error,
    "tile 0 has 3 values, expected 2·2·1 = 4",
  );
});

Deno.test("viridis runs from dark purple to yellow; images stack; PNG round-trips its size", () => {
  assertEquals(viridis(0), [68, 1, 84], "viridis at 0");
  assertEquals(viridis(1), [253, 231, 37], "viridis at 1");
  assertEquals(viridis(2), viridis(1), "clamped above 1");
  const a = imageGrid([[0]], { height: 1, width: 1, channels: 1 });
  const b = imageGrid([[0, 0]], { height: 1, width: 2, channels: 1 });
  const both = aboveEachOther([a, b], 2);
  assertEquals([both.width, both.height], [4, 3 + 2 + 3], "widest width, heights plus the gap");
  assertEquals(pngSize(encodePng(both)), { width: 4, height: 8 }, "decoded PNG size");
});
