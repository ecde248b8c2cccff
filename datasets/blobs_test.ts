import { assertAlmostEquals, assertEquals, assertThrows } from "../lib/assert.ts";
import { blobs } from "./blobs.ts";

Deno.test("blobs gives K·N points of 2 coordinates, labelled class by class", () => {
  const data = blobs({ centers: 4, pointsPerClass: 50, std: 0.1, seed: 1 });
  assertEquals([data.count, data.classes], [200, 4]);
  assertEquals([data.x.constructor, data.y.constructor], [Float32Array, Int32Array]);
  assertEquals(data.x.length, 400);
  assertEquals(Array.from(data.y.subarray(48, 52)), [0, 0, 1, 1]);
});

Deno.test("each blob is centred on its point of the unit circle", () => {
  const { x } = blobs({ centers: 4, pointsPerClass: 2000, std: 0.2, seed: 0 });
  for (let k = 0; k < 4; k++) {
    let sx = 0, sy = 0;
    for (let i = 0; i < 2000; i++) {
      sx += x[2 * (k * 2000 + i)];
      sy += x[2 * (k * 2000 + i) + 1];
    }
    // the mean of 2000 draws with std 0.2 is within 0.02 (4.5 standard errors)
    assertAlmostEquals(sx / 2000, Math.cos((Math.PI * k) / 2), 0.02);
    assertAlmostEquals(sy / 2000, Math.sin((Math.PI * k) / 2), 0.02);
  }
});

Deno.test("blobs with the same seed are the same; another seed differs", () => {
  assertEquals(blobs({ seed: 3 }), blobs({ seed: 3 }));
  assertEquals(blobs({ seed: 3 }).x.join() === blobs({ seed: 4 }).x.join(), false);
});

Deno.test("blobs rejects bad sizes, naming the option", () => {
  assertThrows(() => blobs({ centers: 1 }), Error, "centers must be an integer ≥ 2, got 1");
  assertThrows(() => blobs({ pointsPerClass: 0 }), Error, "pointsPerClass must be an integer ≥ 1");
  assertThrows(() => blobs({ std: -1 }), Error, "std must be ≥ 0");
});
