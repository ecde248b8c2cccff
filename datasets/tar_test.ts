import { assertEquals, assertThrows } from "../lib/assert.ts";
import { tarEntries } from "./tar.ts";
import { makeTar, testBytes } from "./test_helpers.ts";

Deno.test("tarEntries returns each regular file's name and bytes, skipping folders", () => {
  const a = testBytes(1000), b = testBytes(512);
  const tar = makeTar([
    { name: "cifar-10-batches-bin/", type: "5" },
    { name: "cifar-10-batches-bin/a.bin", data: a },
    { name: "b.bin", data: b, prefix: "some/long/prefix" },
    { name: "empty.txt" },
  ]);
  const entries = [...tarEntries(tar, "test.tar")];
  assertEquals(entries.map((e) => e.name), [
    "cifar-10-batches-bin/a.bin",
    "some/long/prefix/b.bin",
    "empty.txt",
  ]);
  assertEquals(entries.map((e) => e.data), [a, b, new Uint8Array()]);
});

Deno.test("tarEntries rejects data that is not tar, naming the source", () => {
  const tar = makeTar([{ name: "a.bin", data: testBytes(10) }]);
  tar[0] ^= 1; // the name changes, so the header no longer matches its checksum
  assertThrows(
    () => [...tarEntries(tar, "broken.tar")],
    Error,
    "broken.tar is not a valid tar archive",
  );
});

Deno.test("tarEntries rejects a truncated archive, naming the source", () => {
  const tar = makeTar([{ name: "a.bin", data: testBytes(2000) }]);
  assertThrows(
    () => [...tarEntries(tar.subarray(0, 1500), "short.tar")],
    Error,
    "short.tar is truncated",
  );
});
