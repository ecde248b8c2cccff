import * as tf from "@tensorflow/tfjs";
import { useBackend } from "./backend.ts";
import { assertEquals, assertNotEquals, assertThrows } from "./assert.ts";
import { liveTensors } from "./memory.ts";
import { Rng } from "./random.ts";
import { batches } from "./batches.ts";

await useBackend("cpu");

/** Row i of x is [i, 10·i]; y[i] = i. So a batch's y says which rows it holds. */
function data(n: number) {
  return {
    x: tf.tensor2d(Array.from({ length: n }, (_, i) => [i, 10 * i])),
    y: tf.tensor1d(Array.from({ length: n }, (_, i) => i), "int32"),
  };
}

/** The rows (by y) of each batch of one epoch. */
async function epoch(x: tf.Tensor, y: tf.Tensor, batchSize: number, rng: Rng): Promise<number[][]> {
  const out: number[][] = [];
  for (const batch of batches(x, y, batchSize, rng)) {
    const ys = Array.from(await batch.y.data());
    const xs = await batch.x.array() as number[][];
    assertEquals(xs, ys.map((i) => [i, 10 * i]), "x and y rows must stay paired");
    out.push(ys);
  }
  return out;
}

Deno.test("two iterators with the same seed yield the same batches", async () => {
  const { x, y } = data(23);
  const a = await epoch(x, y, 5, new Rng(42));
  const b = await epoch(x, y, 5, new Rng(42));
  assertEquals(a, b);
  assertNotEquals(a, await epoch(x, y, 5, new Rng(43)));
  tf.dispose([x, y]);
});

Deno.test("an epoch covers every row once, the last batch holding the remainder", async () => {
  const { x, y } = data(23);
  const rows = await epoch(x, y, 5, new Rng(0));
  assertEquals(rows.map((b) => b.length), [5, 5, 5, 5, 3]);
  assertEquals(rows.flat().sort((p, q) => p - q), Array.from({ length: 23 }, (_, i) => i));
  tf.dispose([x, y]);
});

Deno.test("the next epoch with the same rng has a new order", async () => {
  const { x, y } = data(23);
  const rng = new Rng(7);
  assertNotEquals(await epoch(x, y, 23, rng), await epoch(x, y, 23, rng));
  tf.dispose([x, y]);
});

Deno.test("the iterator disposes each batch, also when the loop is left early", async () => {
  const { x, y } = data(20);
  const before = liveTensors();
  await epoch(x, y, 4, new Rng(0));
  assertEquals(liveTensors(), before);
  for (const _ of batches(x, y, 4, new Rng(0))) break;
  assertEquals(liveTensors(), before);
  tf.dispose([x, y]);
});

Deno.test("batches rejects x and y of different lengths, and a bad batch size", () => {
  const { x, y } = data(5);
  const y4 = y.slice(0, 4);
  assertThrows(() => batches(x, y4, 2, new Rng(0)).next(), Error, "x has 5 rows but y has 4");
  assertThrows(
    () => batches(x, y, 0, new Rng(0)).next(),
    Error,
    "batchSize must be a positive integer",
  );
  tf.dispose([x, y, y4]);
});
