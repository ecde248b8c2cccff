// These tests read the real file: set GRADLAB_DATA_DIR to shared/datasets.
// Without it each test fails with the "not found" message that says where it looked.
import { join } from "node:path";
import { assertEquals, assertRejects, assertStringIncludes } from "../lib/assert.ts";
import { SHA256 } from "./checksums.ts";
import { CorruptDataError, DataNotFoundError, locateDataFile } from "./data_file.ts";
import { loadTinyShakespeare, type TextDataset, TINY_SHAKESPEARE_FILE } from "./shakespeare.ts";
import { withEnv } from "./test_helpers.ts";

let loaded: Promise<TextDataset> | undefined;
const shakespeare = () => loaded ??= loadTinyShakespeare();

Deno.test("Tiny Shakespeare: 1,115,394 characters, 65 of them distinct", async () => {
  const { text, vocab } = await shakespeare();
  assertEquals(text.length, 1_115_394);
  assertEquals(vocab.size, 65);
  assertEquals(vocab.chars.length, 65);
  assertEquals(text.slice(0, 14), "First Citizen:");
});

Deno.test("Tiny Shakespeare: train is the first 90%, val the last 10%, as int32 ids", async () => {
  const { text, vocab, train, val } = await shakespeare();
  assertEquals(train.constructor, Int32Array);
  assertEquals([train.length, val.length], [1_003_854, 111_540]);
  assertEquals(vocab.decode(train.subarray(0, 14)), "First Citizen:");
  assertEquals(vocab.decode(val), text.slice(1_003_854));
  assertEquals(vocab.decode(train), text.slice(0, 1_003_854));
});

/** Runs `fn` on a folder holding a copy of input.txt changed by `change`. */
async function withCopy(
  change: (bytes: Uint8Array) => Uint8Array,
  fn: (dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    const [path] = (await locateDataFile(TINY_SHAKESPEARE_FILE)).paths;
    await Deno.writeFile(join(dir, "input.txt"), change(await Deno.readFile(path)));
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("Tiny Shakespeare: a corrupted copy is an error naming it and the expected sha256", async () => {
  await withCopy((bytes) => {
    bytes[500_000] = "#".charCodeAt(0);
    return bytes;
  }, async (dir) => {
    const error = await assertRejects(() => loadTinyShakespeare({ dir }), CorruptDataError);
    assertStringIncludes(error.message, join(dir, "input.txt"));
    assertStringIncludes(error.message, `expected sha256 ${SHA256.tinyshakespeare["input.txt"]}`);
  });
});

Deno.test("Tiny Shakespeare: a truncated copy is an error too", async () => {
  await withCopy((bytes) => bytes.subarray(0, 1_000_000), async (dir) => {
    await assertRejects(
      () => loadTinyShakespeare({ dir }),
      CorruptDataError,
      join(dir, "input.txt"),
    );
  });
});

Deno.test("Tiny Shakespeare offline: the message names the data set, the places and the command", async () => {
  const empty = await Deno.makeTempDir();
  try {
    await withEnv({
      GRADLAB_DATA_DIR: join(empty, "data"),
      GRADLAB_CACHE_DIR: join(empty, "cache"),
    }, async () => {
      const error = await assertRejects(() => loadTinyShakespeare(), DataNotFoundError);
      for (
        const part of [
          "Tiny Shakespeare: input.txt was not found",
          join(empty, "data", "tinyshakespeare"),
          join(empty, "cache", "tinyshakespeare"),
          "/usr/share/datasets/tinyshakespeare",
          "raw.githubusercontent.com",
          "deno task data",
        ]
      ) assertStringIncludes(error.message, part);
    });
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
