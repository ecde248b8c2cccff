/**
 * Tests of the code assignment 5 provides around the students' work: the
 * output-size formula and its errors, the design's cost and checks, and the
 * flips of the training data. Instructor-side: run by `deno task test:lib`.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertStringIncludes, assertThrows } from "../../lib/assert.ts";
import { useBackend } from "../../lib/backend.ts";
import { Rng } from "../../lib/random.ts";
import {
  checkDesign,
  CIFAR_BUDGET,
  cifarDesign,
  type ConvNetDesign,
  designCost,
} from "./convnet.ts";
import { convOutputShape, poolOutputShape } from "./geometry.ts";
import { windowGeometry } from "./im2col.ts";
import { FASHION_DESIGN, withFlips } from "./train.ts";

await useBackend("wasm");

Deno.test("the output size is (W − F + 2P)/S + 1, and a window that does not tile is refused with the sizes", () => {
  assertEquals(
    convOutputShape([2, 7, 5, 3], [3, 3, 3, 4], { stride: 2, pad: 1 }, "f"),
    [2, 4, 3, 4],
    "7×5 input, 3×3 filter, stride 2, pad 1",
  );
  assertEquals(
    poolOutputShape([2, 6, 7, 3], { height: 2, width: 3, stride: 2 }, "f"),
    [2, 3, 3, 3],
    "a 2×3 pool",
  );
  const error = assertThrows(
    () => convOutputShape([1, 6, 6, 1], [3, 3, 1, 1], { stride: 2, pad: 0 }, "convForwardFast"),
    Error,
  );
  assertStringIncludes(
    error.message,
    "convForwardFast: the window does not tile the height: (H − KH + 2P)/S + 1 = (6 − 3 + 2·0)/2 + 1 = 2.5",
    "the message names the function, the axis and the sizes",
  );
  assertThrows(
    () => convOutputShape([1, 6, 6, 2], [3, 3, 1, 1], { stride: 1, pad: 0 }, "f"),
    Error,
    "x has 2 channels but the filters w [3,3,1,1] expect 1",
  );
  assertThrows(
    () => convOutputShape([1, 2, 2, 1], [3, 3, 1, 1], { stride: 1, pad: 0 }, "f"),
    Error,
    "the 3-pixel window is larger than the padded height",
  );
  assertThrows(
    () => poolOutputShape([1, 4, 4, 1], { height: 2, width: 2, stride: 0 }, "f"),
    Error,
    "pool.stride must be an integer ≥ 1, got 0",
  );
  assertThrows(
    () => windowGeometry([1, 4, 4, 1], 2, 2, { stride: 1, pad: -1 }, "windows"),
    Error,
    "windows: conv.pad must be an integer ≥ 0, got -1",
  );
  const g = windowGeometry([1, 7, 5, 3], 3, 3, { stride: 2, pad: 1 }, "windows");
  assertEquals([g.hs, g.ws, g.extraH, g.extraW], [10, 8, 1, 1], "padded 9×7 rounded up to 10×8");
});

Deno.test("designCost counts forward multiply-adds; the reference designs fit; a bad design is refused by name", () => {
  const design: ConvNetDesign = {
    blocks: [{ filters: 4, pool: true }, { filters: 8, size: 5 }],
    hidden: [10],
    batchnorm: false,
    reg: 0,
    training: { epochs: 2, batchSize: 32, learningRate: 1e-3 },
  };
  const perImage = 8 * 8 * 9 * 3 * 4 + 4 * 4 * 25 * 4 * 8 + 4 * 4 * 8 * 10 + 10 * 10;
  assertEquals(
    designCost(design, [8, 8, 3], 100),
    { perImage, total: perImage * 100 * 2 },
    "a small design's cost",
  );
  const reference = designCost(cifarDesign(), CIFAR_BUDGET.imageShape, CIFAR_BUDGET.trainImages);
  assertEquals(
    reference.total <= CIFAR_BUDGET.macs,
    true,
    "the reference CIFAR design is within budget",
  );
  checkDesign(FASHION_DESIGN, [28, 28, 1]);
  assertThrows(
    () => checkDesign({ ...design, blocks: [{ filters: 4, size: 4 }] }, [8, 8, 3]),
    Error,
    "blocks[0].size must be an odd integer",
  );
  assertThrows(
    () =>
      checkDesign({
        ...design,
        blocks: [
          { filters: 4, pool: true },
          { filters: 4, pool: true },
          { filters: 4, pool: true },
          { filters: 4, pool: true },
        ],
      }, [8, 8, 3]),
    Error,
    "blocks[3] pools a 1×1 image",
  );
  assertThrows(
    () => checkDesign({ ...design, training: { ...design.training, batchSize: 8 } }, [8, 8, 3]),
    Error,
    "training.batchSize must be an integer in 32…512",
  );
  assertThrows(
    () => checkDesign({ ...design, dropout: 0.5 } as ConvNetDesign, [8, 8, 3]),
    Error,
    "dropout",
  );
});

Deno.test("withFlips mirrors about half the images left–right, seeded, and scores see them as they are", async () => {
  const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [4, 1, 2, 1]);
  const seen: tf.Tensor[] = [];
  const model = withFlips({
    loss: (_p, batch) => {
      seen.push(tf.clone(batch));
      return { loss: tf.scalar(0), grads: {} };
    },
    scores: (_p, batch) => batch,
  }, new Rng(3));
  model.loss({}, x, tf.zeros([4]), {});
  const rows = await seen[0].reshape([4, 2]).array() as number[][];
  const flipped = rows.filter((r, i) => r[0] === 2 * i + 2 && r[1] === 2 * i + 1).length;
  const kept = rows.filter((r, i) => r[0] === 2 * i + 1 && r[1] === 2 * i + 2).length;
  assertEquals(flipped + kept, 4, "every image either flipped or kept whole");
  assertEquals(flipped > 0 && kept > 0, true, "some flipped and some kept (seed 3)");
  assertEquals(
    await model.scores({}, x, {}).array(),
    await x.array(),
    "scores see the images unflipped",
  );
});
