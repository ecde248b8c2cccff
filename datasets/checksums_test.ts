import { assertEquals } from "../lib/assert.ts";
import { SHA256, sha256Hex } from "./checksums.ts";

Deno.test("sha256Hex matches the FIPS 180-2 test vector for 'abc'", async () => {
  assertEquals(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("every recorded checksum is 64 lowercase hex digits", () => {
  for (const files of Object.values(SHA256)) {
    for (const [name, sha] of Object.entries(files)) {
      assertEquals(/^[0-9a-f]{64}$/.test(sha), true, name);
    }
  }
});
