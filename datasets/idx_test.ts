import { assertEquals, assertThrows } from "../lib/assert.ts";
import { parseIdx } from "./idx.ts";

/** An unsigned-byte IDX file of `shape` holding `values`. */
function idx(shape: number[], values: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  header.set([0, 0, 0x08, shape.length]);
  const view = new DataView(header.buffer);
  shape.forEach((size, d) => view.setUint32(4 + 4 * d, size));
  return new Uint8Array([...header, ...values]);
}

Deno.test("parseIdx reads the big-endian shape and the values after the header", () => {
  const { shape, values } = parseIdx(idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), "x");
  assertEquals(shape, [2, 2, 3]);
  assertEquals(Array.from(values), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assertEquals(parseIdx(idx([300], new Array(300).fill(7)), "x").shape, [300]); // 300 > one byte
});

Deno.test("parseIdx rejects a file that is not unsigned-byte IDX, naming it", () => {
  const bytes = idx([2], [1, 2]);
  bytes[2] = 0x0d; // float32 IDX
  assertThrows(
    () => parseIdx(bytes, "labels.idx"),
    Error,
    "labels.idx is not an unsigned-byte IDX file",
  );
  assertThrows(() => parseIdx(new TextEncoder().encode("<html>"), "page.html"), Error, "page.html");
});

Deno.test("parseIdx rejects a file whose length does not match its header, naming it", () => {
  const bytes = idx([10, 2], new Array(20).fill(0));
  assertThrows(
    () => parseIdx(bytes.subarray(0, 20), "short"),
    Error,
    "short: its header declares shape [10,2]",
  );
  assertThrows(
    () => parseIdx(new Uint8Array([...bytes, 0]), "long"),
    Error,
    "but the file has 33 bytes",
  );
  assertThrows(
    () => parseIdx(bytes.subarray(0, 6), "cut"),
    Error,
    "cut: its header declares 2 sizes",
  );
});
