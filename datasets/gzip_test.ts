import { assertEquals, assertRejects } from "../lib/assert.ts";
import { gunzip } from "./gzip.ts";
import { gzip, testBytes } from "./test_helpers.ts";

Deno.test("gunzip restores what gzip compressed", async () => {
  const original = testBytes(100_000);
  assertEquals(await gunzip(await gzip(original)), original);
});

Deno.test("gunzip rejects a gzip whose data was altered (CRC-32 mismatch)", async () => {
  const compressed = await gzip(testBytes(1000));
  compressed[compressed.length - 12] ^= 0xff;
  await assertRejects(() => gunzip(compressed), TypeError);
});

Deno.test("gunzip rejects a truncated gzip", async () => {
  const compressed = await gzip(testBytes(1000));
  await assertRejects(() => gunzip(compressed.slice(0, compressed.length - 20)), TypeError);
});

// The reason data_file.ts decompresses gzip parts one by one: if Deno ever
// reads concatenated members, this test fails and that code can be simplified.
Deno.test("gunzip rejects two gzip members concatenated (a Deno limitation)", async () => {
  const a = await gzip(testBytes(10)), b = await gzip(testBytes(20));
  const both = new Uint8Array([...a, ...b]);
  await assertRejects(() => gunzip(both), TypeError, "failed to write whole buffer");
});
