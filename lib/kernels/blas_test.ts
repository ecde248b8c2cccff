import { assertEquals } from "../assert.ts";
import { loadBlas } from "./blas.ts";

const blas = loadBlas();

Deno.test({
  name: "sgemm multiplies small matrices, with and without transposes",
  ignore: blas === undefined, // needs --allow-ffi and a BLAS library
  fn: () => {
    const c = new Float32Array(4);
    blas!.sgemm(false, false, 2, 2, 1, Float32Array.of(1, 2), Float32Array.of(3, 4), c);
    assertEquals(Array.from(c), [3, 4, 6, 8]);
    const a = Float32Array.of(1, 2, 3, 4); // [[1, 2], [3, 4]]
    blas!.sgemm(true, false, 2, 2, 2, a, Float32Array.of(1, 0, 0, 1), c);
    assertEquals(Array.from(c), [1, 3, 2, 4]); // aᵀ
    blas!.sgemm(false, true, 2, 2, 2, a, a, c);
    assertEquals(Array.from(c), [5, 11, 11, 25]); // a·aᵀ
  },
});

Deno.test({
  name: "sgemm refuses buffers too small for the shapes",
  ignore: blas === undefined,
  fn: () => {
    let message = "";
    try {
      blas!.sgemm(
        false,
        false,
        2,
        2,
        2,
        new Float32Array(3),
        new Float32Array(4),
        new Float32Array(4),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    assertEquals(message, "sgemm: buffers too small for [2×2]·[2×2].");
  },
});

Deno.test("loadBlas gives undefined, not an error, without --allow-ffi", async () => {
  const ffi = await Deno.permissions.query({ name: "ffi" });
  if (ffi.state !== "granted") assertEquals(loadBlas(), undefined);
});
