import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertRejects } from "./assert.ts";
import { useBackend } from "./backend.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
import { randn, Rng } from "./random.ts";

await useBackend("wasm");

const FORMAT = { name: "test-format", version: 2 };

async function tempPath(): Promise<string> {
  return `${await Deno.makeTempDir()}/checkpoint.safetensors`;
}

Deno.test("a checkpoint gives back its meta and its tensors bit for bit", async () => {
  const path = await tempPath();
  const w = randn(new Rng(0), [3, 5]);
  const tiny = tf.tensor([1e-30, -0, 3.4e38, Math.PI], [4]);
  const meta = { epoch: 3, losses: [2.302585092994046, 0.1 + 0.2], name: "µ-run ✓", best: null };
  await writeCheckpoint(path, {
    format: FORMAT,
    meta,
    tensors: { w, tiny, empty: tf.zeros([0, 2]) },
  });
  const back = await readCheckpoint(path, FORMAT);
  assertEquals(back.meta, meta);
  assertEquals(Object.keys(back.tensors), ["w", "tiny", "empty"]);
  assertEquals(back.tensors.w.shape, [3, 5]);
  assertEquals(await back.tensors.w.data(), await w.data());
  assertEquals(await back.tensors.tiny.data(), await tiny.data());
  assertEquals(back.tensors.empty.shape, [0, 2]);
});

Deno.test("the file is safetensors: an 8-byte header length, a JSON header, then the data", async () => {
  const path = await tempPath();
  await writeCheckpoint(path, { format: FORMAT, meta: {}, tensors: { b: tf.tensor([1, 2]) } });
  const bytes = await Deno.readFile(path);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assertEquals(n % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assertEquals(header.b, { dtype: "F32", shape: [2], data_offsets: [0, 8] });
  assertEquals(new Float32Array(bytes.slice(8 + n).buffer), new Float32Array([1, 2]));
  assertEquals(JSON.parse(header.__metadata__.gradlab).format, "test-format");
});

Deno.test("another format or version is refused with a message saying what the file holds", async () => {
  const path = await tempPath();
  await writeCheckpoint(path, { format: FORMAT, meta: {}, tensors: {} });
  await assertRejects(
    () => readCheckpoint(path, { name: "test-format", version: 3 }),
    Error,
    "it holds format 'test-format' version 2, and this code reads format 'test-format' version 3",
  );
  await assertRejects(
    () => readCheckpoint(path, { name: "other", version: 2 }),
    Error,
    "reads format 'other'",
  );
});

Deno.test("truncated, corrupt and foreign files are errors naming the file and the problem", async () => {
  const path = await tempPath();
  await writeCheckpoint(path, { format: FORMAT, meta: {}, tensors: { w: tf.ones([10]) } });
  const good = await Deno.readFile(path);
  const bad = `${path}.bad`;
  const expectError = async (bytes: Uint8Array, message: string) => {
    await Deno.writeFile(bad, bytes);
    await assertRejects(() => readCheckpoint(bad, FORMAT), Error, message);
  };
  await expectError(good.slice(0, good.length - 4), "the file is truncated or corrupt");
  await expectError(good.slice(0, 5), "too short for a header");
  await expectError(good.slice(0, 30), "its header claims");
  const garbled = good.slice();
  garbled[8] = "!".charCodeAt(0);
  await expectError(garbled, "its header is not valid JSON");
  await expectError(
    new TextEncoder().encode("#!/bin/sh\necho hello, this is not a checkpoint\n"),
    "its header claims",
  );
  const foreign = new TextEncoder().encode(
    '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
  );
  const file = new Uint8Array(8 + foreign.length + 4);
  new DataView(file.buffer).setBigUint64(0, BigInt(foreign.length), true);
  file.set(foreign, 8);
  await expectError(file, "it holds a file without gradlab metadata");
});

Deno.test("writing creates the folder, replaces the file whole, and refuses tensors it cannot store exactly", async () => {
  const path = `${await Deno.makeTempDir()}/new/folder/checkpoint.safetensors`;
  await writeCheckpoint(path, { format: FORMAT, meta: { n: 1 }, tensors: {} });
  await writeCheckpoint(path, { format: FORMAT, meta: { n: 2 }, tensors: {} });
  assertEquals((await readCheckpoint(path, FORMAT)).meta, { n: 2 });
  const dir = path.slice(0, path.lastIndexOf("/"));
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["checkpoint.safetensors"]);
  await assertRejects(
    () =>
      writeCheckpoint(path, {
        format: FORMAT,
        meta: {},
        tensors: { y: tf.tensor([1], [1], "int32") },
      }),
    Error,
    "tensor 'y' is int32; only float32 tensors can be saved",
  );
});
