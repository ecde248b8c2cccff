import { join } from "node:path";
import { assertEquals, assertRejects } from "../lib/assert.ts";
import { beyondLimits, readArchive, SUBMISSION_LIMITS, writeTarGz } from "./archive.ts";
import { COURSE_ROOT } from "./sandbox.ts";

// The fixtures in testdata/archives were made with Python's zipfile and tarfile.
const FIXTURES = join(COURSE_ROOT, "grader/testdata/archives");
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const entry = (path: string, content: string) => ({
  path,
  bytes: new TextEncoder().encode(content),
});

Deno.test("a written .tar.gz reads back, byte for byte, and the same files give the same bytes", async () => {
  const long = `assignments/01-backprop/${"d".repeat(90)}/${"f".repeat(60)}.ts`;
  const entries = [entry("b.ts", "second"), entry("a/x.ts", "first\n"), entry(long, "deep")];
  const archive = await writeTarGz(entries);
  const { files, skipped } = await readArchive(archive, "bundle.tar.gz");
  assertEquals(files.map((f) => [f.path, text(f.bytes)]), [
    ["a/x.ts", "first\n"],
    [long, "deep"],
    ["b.ts", "second"],
  ]);
  assertEquals(skipped, []);
  assertEquals(await writeTarGz([...entries].reverse()), archive);
});

Deno.test("tar lists a written .tar.gz", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(join(dir, "b.tar.gz"), await writeTarGz([entry("x/y.ts", "z")]));
    const { stdout } = await new Deno.Command("tar", { args: ["-tzf", join(dir, "b.tar.gz")] })
      .output();
    assertEquals(text(stdout), "x/y.ts\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a hostile zip gives its regular files and says what it left out", async () => {
  const { files, skipped } = await readArchive(
    await Deno.readFile(join(FIXTURES, "hostile.zip")),
    "hostile.zip",
  );
  assertEquals(files.map((f) => [f.path, text(f.bytes)]), [
    ["hw1/01-backprop/gates.ts", "export const x = 1;\n"],
    ["hw1/01-backprop/stored.txt", "kept as is"],
  ]);
  assertEquals(skipped, [
    "hw1/01-backprop/link.ts (not a regular file)",
    "../escape.ts (its path leaves the archive's folder)",
    "/abs.ts (its path leaves the archive's folder)",
  ]);
});

Deno.test("a hostile .tar.gz gives its regular files, long names included", async () => {
  const { files, skipped } = await readArchive(
    await Deno.readFile(join(FIXTURES, "hostile.tar.gz")),
    "hostile.tar.gz",
  );
  assertEquals(files.map((f) => f.path), [
    "sub/assignments/01-backprop/layers.ts",
    `sub/assignments/01-backprop/${"a".repeat(120)}.ts`,
  ]);
  assertEquals(skipped, [
    "sub/assignments/01-backprop/evil.ts (not a regular file)",
    "../escape.ts (its path leaves the archive's folder)",
  ]);
});

Deno.test("a zip bomb stops at the limit with a message", async () => {
  await assertRejects(
    async () =>
      await readArchive(await Deno.readFile(join(FIXTURES, "bomb.zip")), "bomb.zip", {
        ...SUBMISSION_LIMITS,
        maxBytes: 2 ** 20,
        maxEntries: 10,
      }),
    Error,
    "bomb.zip: unpacks to more than 1 MiB",
  );
});

Deno.test("what is not an archive, or is damaged, is an error that names it", async () => {
  await assertRejects(
    () => readArchive(new Uint8Array(10), "hw.rar"),
    Error,
    "hw.rar: not an archive",
  );
  await assertRejects(() => readArchive(new Uint8Array(100), "hw.zip"), Error, "hw.zip: not a zip");
  await assertRejects(
    () => readArchive(new TextEncoder().encode("not gzip"), "hw.tar.gz"),
    Error,
    "hw.tar.gz: damaged compressed data",
  );
});

Deno.test("paths nested too deep or too long are left out, at a cost that does not grow with their depth", () => {
  const deep = Array.from({ length: 10_000 }, () => "d").join("/") + "/x.ts";
  const started = performance.now();
  assertEquals(
    beyondLimits(deep, SUBMISSION_LIMITS)?.endsWith("(a path longer than 512 characters)"),
    true,
    "a 20,000-character path",
  );
  assertEquals(
    beyondLimits("a/".repeat(17) + "x.ts", SUBMISSION_LIMITS)?.includes("more than 16 folders"),
    true,
    "a file 17 folders deep",
  );
  assertEquals(beyondLimits("a/".repeat(16) + "x.ts", SUBMISSION_LIMITS), undefined, "16 deep");
  assertEquals(performance.now() - started < 50, true, "checking the limits is cheap");
});
