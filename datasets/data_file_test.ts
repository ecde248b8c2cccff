import { join } from "node:path";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../lib/assert.ts";
import { sha256Hex } from "./checksums.ts";
import { CorruptDataError, type DataFile, DataNotFoundError, readDataFile } from "./data_file.ts";
import { gzip, makeTar, serveLocally, testBytes, withEnv } from "./test_helpers.ts";

const CONTENT = testBytes(50_000);
const SHA = await sha256Hex(CONTENT);

/** A made-up data file whose checksum is CONTENT's; its URL's host is never reachable. */
function dataFile(url = "https://data.example.invalid/demo/records.bin.gz"): DataFile {
  return { dataset: "Demo", folder: "demo", name: "records.bin", sha256: SHA, url };
}

/** Runs `fn` with fresh, empty data and cache folders set in the environment. */
async function withFolders(fn: (data: string, cache: string) => Promise<void>): Promise<void> {
  const data = await Deno.makeTempDir(), cache = await Deno.makeTempDir();
  try {
    await withEnv({ GRADLAB_DATA_DIR: data, GRADLAB_CACHE_DIR: cache }, () => fn(data, cache));
  } finally {
    await Deno.remove(data, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
}

async function put(folder: string, name: string, bytes: Uint8Array): Promise<string> {
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeFile(join(folder, name), bytes);
  return join(folder, name);
}

Deno.test("readDataFile reads a plain file, a .gz, and gzip parts alike", async () => {
  const thirds = [CONTENT.slice(0, 20_000), CONTENT.slice(20_000, 35_000), CONTENT.slice(35_000)];
  const forms: [string, Uint8Array][][] = [
    [["records.bin", CONTENT]],
    [["records.bin.gz", await gzip(CONTENT)]],
    await Promise.all(
      thirds.map(async (t, i) => [`records.0${i}.bin.gz`, await gzip(t)] as [string, Uint8Array]),
    ),
  ];
  for (const files of forms) {
    await withFolders(async (data) => {
      for (const [name, bytes] of files) await put(join(data, "demo"), name, bytes);
      assertEquals(await readDataFile(dataFile()), CONTENT, `reading ${files[0][0]}`);
    });
  }
});

Deno.test("GRADLAB_DATA_DIR is searched before the cache", async () => {
  await withFolders(async (data, cache) => {
    await put(join(data, "demo"), "records.bin", CONTENT);
    await put(join(cache, "demo"), "records.bin", testBytes(10)); // would fail its checksum
    assertEquals(await readDataFile(dataFile()), CONTENT);
  });
});

Deno.test("the cache is searched when GRADLAB_DATA_DIR lacks the file", async () => {
  await withFolders(async (_data, cache) => {
    await put(join(cache, "demo"), "records.bin", CONTENT);
    assertEquals(await readDataFile(dataFile()), CONTENT);
  });
});

Deno.test("an explicit dir is the only place searched", async () => {
  await withFolders(async (data) => {
    await put(join(data, "demo"), "records.bin", CONTENT);
    const mine = await Deno.makeTempDir();
    try {
      const error = await assertRejects(
        () => readDataFile(dataFile(), { dir: mine }),
        DataNotFoundError,
      );
      assertStringIncludes(error.message, `${mine} (given as dir)`);
      assert(!error.message.includes(data), "the data directory must not be searched");
      await put(mine, "records.bin", CONTENT);
      assertEquals(await readDataFile(dataFile(), { dir: mine }), CONTENT);
    } finally {
      await Deno.remove(mine, { recursive: true });
    }
  });
});

Deno.test("a corrupted copy is an error naming the file and the expected sha256", async () => {
  await withFolders(async (data) => {
    const corrupt = CONTENT.slice();
    corrupt[12_345] ^= 1;
    const path = await put(join(data, "demo"), "records.bin", corrupt);
    const error = await assertRejects(() => readDataFile(dataFile()), CorruptDataError);
    assertStringIncludes(error.message, path);
    assertStringIncludes(error.message, `expected sha256 ${SHA}`);
    assertStringIncludes(error.message, `holds data with sha256 ${await sha256Hex(corrupt)}`);
  });
});

Deno.test("a truncated file is an error naming it", async () => {
  await withFolders(async (data) => {
    const path = await put(join(data, "demo"), "records.bin", CONTENT.slice(0, 40_000));
    const error = await assertRejects(() => readDataFile(dataFile()), CorruptDataError);
    assertStringIncludes(error.message, path);
  });
});

Deno.test("a gzip part that cannot be decompressed is an error naming that part", async () => {
  await withFolders(async (data) => {
    const folder = join(data, "demo");
    await put(folder, "records.00.bin.gz", await gzip(CONTENT.slice(0, 25_000)));
    const second = await gzip(CONTENT.slice(25_000));
    const path = await put(folder, "records.01.bin.gz", second.slice(0, second.length - 30));
    const error = await assertRejects(() => readDataFile(dataFile()), CorruptDataError);
    assertStringIncludes(error.message, `${path} cannot be decompressed`);
    assertStringIncludes(error.message, `expected sha256 ${SHA}`);
  });
});

Deno.test("missing gzip parts make the joined file fail its checksum", async () => {
  await withFolders(async (data) => {
    const folder = join(data, "demo");
    await put(folder, "records.00.bin.gz", await gzip(CONTENT.slice(0, 25_000)));
    await put(folder, "records.02.bin.gz", await gzip(CONTENT.slice(25_000))); // 01 is missing
    await assertRejects(() => readDataFile(dataFile()), CorruptDataError, "records.00.bin.gz");
  });
});

Deno.test("offline with nothing found: one message naming the data set, every place searched and the command", async () => {
  await withFolders(async (data, cache) => {
    const error = await assertRejects(() => readDataFile(dataFile()), DataNotFoundError);
    for (
      const part of [
        "Demo: records.bin was not found",
        `${join(data, "demo")} (GRADLAB_DATA_DIR)`,
        `${join(cache, "demo")} (the cache`,
        "/usr/share/datasets/demo (system install)",
        "not downloaded from https://data.example.invalid/demo/records.bin.gz",
        "--allow-net",
        "deno task data",
      ]
    ) assertStringIncludes(error.message, part);
  });
});

Deno.test("a file found nowhere is downloaded into the cache, then verified", async () => {
  const compressed = await gzip(CONTENT);
  const server = serveLocally(() => new Response(compressed));
  try {
    await withFolders(async (_data, cache) => {
      assertEquals(await readDataFile(dataFile(server.url("/demo/records.bin.gz"))), CONTENT);
      assertEquals(await Deno.readFile(join(cache, "demo", "records.bin.gz")), compressed);
    });
  } finally {
    await server.close();
  }
});

Deno.test("a download that does not match the checksum is an error naming the cached file", async () => {
  const server = serveLocally(async () => new Response(await gzip(testBytes(1000))));
  try {
    await withFolders(async (_data, cache) => {
      const error = await assertRejects(
        () => readDataFile(dataFile(server.url("/demo/records.bin.gz"))),
        CorruptDataError,
      );
      assertStringIncludes(error.message, join(cache, "demo", "records.bin.gz"));
      assertStringIncludes(error.message, SHA);
    });
  } finally {
    await server.close();
  }
});

Deno.test("a failed download is reported inside the not-found message", async () => {
  const server = serveLocally(() => new Response("gone", { status: 410 }));
  try {
    await withFolders(async () => {
      const url = server.url("/demo/records.bin.gz");
      const error = await assertRejects(() => readDataFile(dataFile(url)), DataNotFoundError);
      assertStringIncludes(error.message, `fetching ${url} failed`);
      assertStringIncludes(error.message, "HTTP 410");
    });
  } finally {
    await server.close();
  }
});

Deno.test("a downloaded .tar.gz is unpacked into the cache and deleted", async () => {
  const tar = makeTar([{ name: "batches/records.bin", data: CONTENT }]);
  const server = serveLocally(async () => new Response(await gzip(tar)));
  try {
    await withFolders(async (_data, cache) => {
      assertEquals(await readDataFile(dataFile(server.url("/archive.tar.gz"))), CONTENT);
      const left = [...Deno.readDirSync(join(cache, "demo"))].map((e) => e.name);
      assertEquals(left, ["records.bin"]);
    });
  } finally {
    await server.close();
  }
});

Deno.test({
  name: "without --allow-env the message says GRADLAB_DATA_DIR was not read, not that it is unset",
  permissions: { read: true, env: false },
  async fn() {
    const error = await assertRejects(() => readDataFile(dataFile()), DataNotFoundError);
    assertStringIncludes(error.message, "GRADLAB_DATA_DIR was not read (it needs --allow-env)");
  },
});
