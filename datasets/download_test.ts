import { join } from "node:path";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../lib/assert.ts";
import { download } from "./download.ts";
import { serveLocally, testBytes } from "./test_helpers.ts";

const FILE = testBytes(300_000);

/** Serves FILE, honouring `Range: bytes=N-`; records every Range header it gets. */
function rangeServer() {
  const ranges: (string | null)[] = [];
  const server = serveLocally((request) => {
    const range = request.headers.get("range");
    ranges.push(range);
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
    const headers = range
      ? { "content-range": `bytes ${start}-${FILE.length - 1}/${FILE.length}` }
      : undefined;
    return new Response(FILE.slice(start), { status: range ? 206 : 200, headers });
  });
  return { ...server, ranges };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("download writes the whole file and leaves no .part behind", async () => {
  const dir = await Deno.makeTempDir();
  const server = rangeServer();
  try {
    const dest = join(dir, "sub", "file.bin");
    await download(server.url("/file.bin"), dest);
    assertEquals(await Deno.readFile(dest), FILE);
    assert(!(await exists(`${dest}.part`)), "the .part file should be renamed away");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an interrupted download keeps its part, and the next call fetches only the rest", async () => {
  const dir = await Deno.makeTempDir();
  const cut = 100_000;
  let first = true;
  const ranges: (string | null)[] = [];
  const server = serveLocally((request) => {
    ranges.push(request.headers.get("range"));
    if (first) {
      first = false;
      // Claim the whole file but send only `cut` bytes: the connection ends early.
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(FILE.slice(0, cut));
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-length": String(FILE.length) } });
    }
    const start = Number(/^bytes=(\d+)-$/.exec(request.headers.get("range") ?? "bytes=0-")![1]);
    return new Response(FILE.slice(start), {
      status: 206,
      headers: { "content-range": `bytes ${start}-${FILE.length - 1}/${FILE.length}` },
    });
  });
  try {
    const dest = join(dir, "file.bin");
    const error = await assertRejects(() => download(server.url("/file.bin"), dest));
    assertStringIncludes(error.message, "run the same command again to resume");
    assert(!(await exists(dest)), "an interrupted download must not leave the final file");
    const kept = (await Deno.stat(`${dest}.part`)).size;
    assert(kept > 0 && kept <= cut, `the part should hold what arrived, got ${kept} bytes`);

    await download(server.url("/file.bin"), dest);
    assertEquals(ranges, [null, `bytes=${kept}-`]);
    assertEquals(await Deno.readFile(dest), FILE);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download starts over when the server ignores the range and sends the whole file", async () => {
  const dir = await Deno.makeTempDir();
  const server = serveLocally(() => new Response(FILE)); // always 200, whole file
  try {
    const dest = join(dir, "file.bin");
    await Deno.writeFile(`${dest}.part`, FILE.slice(0, 1234));
    await download(server.url("/file.bin"), dest);
    assertEquals(await Deno.readFile(dest), FILE);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download starts over when the server cannot satisfy the range (416)", async () => {
  const dir = await Deno.makeTempDir();
  const ranges: (string | null)[] = [];
  const server = serveLocally((request) => {
    ranges.push(request.headers.get("range"));
    return request.headers.get("range") ? new Response(null, { status: 416 }) : new Response(FILE);
  });
  try {
    const dest = join(dir, "file.bin");
    await Deno.writeFile(`${dest}.part`, testBytes(400_000)); // longer than the file now is
    await download(server.url("/file.bin"), dest);
    assertEquals(ranges, ["bytes=400000-", null]);
    assertEquals(await Deno.readFile(dest), FILE);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download rejects a 206 for a range other than the one asked for", async () => {
  const dir = await Deno.makeTempDir();
  const server = serveLocally(() =>
    new Response(FILE, {
      status: 206,
      headers: { "content-range": `bytes 0-${FILE.length - 1}/${FILE.length}` },
    })
  );
  try {
    const dest = join(dir, "file.bin");
    await Deno.writeFile(`${dest}.part`, FILE.slice(0, 1000));
    await assertRejects(
      () => download(server.url("/file.bin"), dest),
      Error,
      "asked for the bytes from 1000 on",
    );
    assert(!(await exists(dest)));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download reports an HTTP error with the URL and status, and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  const server = serveLocally(() => new Response("no such file", { status: 404 }));
  try {
    const dest = join(dir, "file.bin");
    const url = server.url("/missing.bin");
    const error = await assertRejects(() => download(url, dest));
    assertStringIncludes(error.message, url);
    assertStringIncludes(error.message, "HTTP 404");
    assert(!(await exists(dest)) && !(await exists(`${dest}.part`)));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download says which host it could not reach", async () => {
  const server = serveLocally(() => new Response());
  const url = server.url("/file.bin");
  await server.close(); // nothing listens on that port now
  const dir = await Deno.makeTempDir();
  try {
    const error = await assertRejects(() => download(url, join(dir, "file.bin")));
    assertStringIncludes(error.message, `Could not reach ${new URL(url).host} (`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
