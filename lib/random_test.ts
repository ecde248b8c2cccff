import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertNotEquals,
  assertThrows,
} from "./assert.ts";
import { useBackend } from "./backend.ts";
import { randint, randn, Rng } from "./random.ts";

Deno.test("Rng: the same seed gives the same sequence, another seed another", () => {
  const draw = (seed: number) =>
    Array.from(
      { length: 5 },
      (() => {
        const rng = new Rng(seed);
        return () => rng.nextUint32();
      })(),
    );
  assertEquals(draw(42), draw(42));
  assertNotEquals(draw(42), draw(43));
});

Deno.test("Rng: uniform draws lie in [low, high) with the right mean", () => {
  const rng = new Rng(1);
  let sum = 0;
  for (let i = 0; i < 100_000; i++) {
    const u = rng.uniform(-2, 3);
    assert(u >= -2 && u < 3, `uniform(-2, 3) gave ${u}`);
    sum += u;
  }
  assertAlmostEquals(sum / 100_000, 0.5, 0.02);
});

Deno.test("Rng: normal draws have the requested mean and std", () => {
  const rng = new Rng(2);
  const xs = Array.from({ length: 100_000 }, () => rng.normal(1, 3));
  const mean = xs.reduce((a, b) => a + b) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  assertAlmostEquals(mean, 1, 0.03);
  assertAlmostEquals(std, 3, 0.03);
});

Deno.test("Rng: int(n) covers 0..n-1 evenly and rejects bad n", () => {
  const rng = new Rng(3);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
  for (const c of counts) assertAlmostEquals(c, 10_000, 400);
  assertThrows(() => rng.int(0), Error, "1 ≤ n");
  assertThrows(() => rng.int(2.5), Error, "integer");
});

Deno.test("Rng: permutation is a permutation, and seeded", () => {
  const p = new Rng(4).permutation(1000);
  assertEquals([...p].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assertEquals(p, new Rng(4).permutation(1000));
  assertNotEquals([...p], Array.from({ length: 1000 }, (_, i) => i));
});

Deno.test("Rng: a fork's stream does not depend on later draws of its parent", () => {
  const a = new Rng(5), b = new Rng(5);
  const forkA = a.fork(), forkB = b.fork();
  a.nextUint32(); // extra draws in the parent must not shift the fork
  assertEquals([forkA.nextUint32(), forkA.nextUint32()], [forkB.nextUint32(), forkB.nextUint32()]);
  assertNotEquals(forkA.nextUint32(), a.nextUint32());
});

Deno.test("Rng rejects a seed that is not an integer", () => {
  assertThrows(() => new Rng(0.5), Error, "integer");
});

Deno.test("randn/randint: seeded tensors are the same on every backend", async () => {
  const values: number[][] = [];
  for (const backend of ["wasm", "cpu"] as const) {
    await useBackend(backend);
    values.push(Array.from(await randn(new Rng(6), [3, 4], 2).data()));
    values.push(Array.from(await randint(new Rng(6), [5], 10).data()));
  }
  assertEquals(values[0], values[2]);
  assertEquals(values[1], values[3]);
  const labels = await randint(new Rng(7), [1000], 10).data();
  assert(labels.every((v) => v >= 0 && v < 10 && Number.isInteger(v)));
  assertThrows(() => randn(new Rng(0), [2, -1]), Error, "non-negative integers");
  tf.disposeVariables();
});

Deno.test("nothing random escapes the seeded Rng: no Math.random or unseeded tf.random* in the code", async () => {
  const root = new URL("../", import.meta.url);
  const offenders: string[] = [];
  const scan = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (
        entry.isDirectory &&
        !["node_modules", ".git", ".cache", "out", "testdata"].includes(entry.name)
      ) {
        await scan(url);
      } else if (
        entry.isFile && /\.(ts|ipynb)$/.test(entry.name) && entry.name !== "random_test.ts"
      ) {
        const text = await Deno.readTextFile(url);
        if (/Math\.random\(|tf\.random(Normal|Uniform)\(|tf\.util\.shuffle\(/.test(text)) {
          offenders.push(url.pathname);
        }
      }
    }
  };
  await scan(root);
  assertLess(
    offenders.length,
    1,
    `unseeded randomness in: ${offenders.join(", ")} — use lib/random.ts`,
  );
});

Deno.test("Rng.fromState continues a saved sequence exactly, normals included", () => {
  const rng = new Rng(9);
  rng.permutation(10);
  rng.normal(); // leaves the spare of the pair for the next call
  const saved = JSON.parse(JSON.stringify(rng.state()));
  const restored = Rng.fromState(saved);
  const draws = (r: Rng) => [r.normal(), r.normal(), r.nextUint32(), r.uniform(), r.int(7)];
  assertEquals(draws(restored), draws(rng));
  assertEquals(restored.seed, 9);
});

Deno.test("Rng.state is a snapshot, and a malformed state is an error naming the field", () => {
  const rng = new Rng(10);
  const before = rng.state();
  rng.nextUint32();
  assertNotEquals(rng.state(), before);
  const { words } = before;
  assertThrows(
    () => Rng.fromState({ ...before, words: [words[0], words[1], words[2]] as never }),
    Error,
    "words must be four integers",
  );
  assertThrows(
    () => Rng.fromState({ ...before, words: [words[0], words[1], words[2], -1] }),
    Error,
    "words must be four integers",
  );
  assertThrows(() => Rng.fromState({ ...before, spareNormal: NaN }), Error, "spareNormal");
  assertThrows(() => Rng.fromState({ ...before, seed: 1.5 }), Error, "integer");
});
