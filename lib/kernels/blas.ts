/**
 * Native BLAS (OpenBLAS or Apple Accelerate) through Deno's FFI: one sgemm.
 *
 * `sgemm` multiplies float32 matrices at 100–400 GFLOP/s on one or two
 * cores, 3–10× what WASM reaches. It is native code, so it needs
 * `--allow-ffi` (which also lifts Deno's sandbox): {@linkcode loadBlas}
 * returns `undefined`, never throws, when that permission is missing or no
 * library is found, and gradlab then keeps its portable WASM kernels.
 *
 * Libraries tried, in order: `libopenblas.so.0` (Debian/Ubuntu
 * `libopenblas0`, Fedora/Arch `openblas`), `libopenblas.dylib`,
 * Accelerate (macOS), `libopenblas.dll`. Only the first was tested (Debian,
 * OpenBLAS 0.3.21); the others export the same LP64 `cblas_sgemm`. OpenBLAS reads `OPENBLAS_CORETYPE`
 * and `OPENBLAS_NUM_THREADS` when it loads; gradlab leaves both to the
 * environment.
 *
 * @example
 * ```ts
 * import { loadBlas } from "./blas.ts";
 * const blas = loadBlas(); // needs --allow-ffi
 * if (blas) {
 *   const c = new Float32Array(4);
 *   blas.sgemm(false, false, 2, 2, 1, Float32Array.of(1, 2), Float32Array.of(3, 4), c);
 *   console.log(c, blas.description); // [3, 4, 6, 8], "OpenBLAS 0.3.21 … Cooperlake …"
 * }
 * ```
 * @module
 */

/** A loaded BLAS. */
export interface Blas {
  /**
   * c = op(a) · op(b), row-major, where op(a) is [m, k] (a is [k, m] when `transA`)
   * and op(b) is [k, n] (b is [n, k] when `transB`); c is [m, n] and is overwritten.
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void;
  /** Which library, e.g. `"OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64"`. */
  description: string;
}

const LIBRARIES = [
  "libopenblas.so.0",
  "libopenblas.dylib",
  "/System/Library/Frameworks/Accelerate.framework/Accelerate",
  "libopenblas.dll",
];

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "i32",
    ],
    result: "void",
  },
} as const;

const OPENBLAS_CONFIG = {
  openblas_get_config: { parameters: [], result: "pointer" },
} as const;

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

let loaded: Blas | null | undefined;

/** The system's BLAS, or `undefined` without `--allow-ffi` or without a library. Loads once. */
export function loadBlas(): Blas | undefined {
  if (loaded === undefined) loaded = open() ?? null;
  return loaded ?? undefined;
}

function open(): Blas | undefined {
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return undefined;
  for (const path of LIBRARIES) {
    let lib;
    try {
      lib = Deno.dlopen(path, SYMBOLS);
    } catch {
      continue; // not installed here, or no cblas_sgemm in it
    }
    const gemm = lib.symbols.cblas_sgemm;
    return {
      description: describe(path),
      sgemm(transA, transB, m, n, k, a, b, c) {
        if (a.length < m * k || b.length < k * n || c.length < m * n) {
          throw new Error(`sgemm: buffers too small for [${m}×${k}]·[${k}×${n}].`);
        }
        gemm(
          ROW_MAJOR,
          transA ? TRANS : NO_TRANS,
          transB ? TRANS : NO_TRANS,
          m,
          n,
          k,
          1,
          a,
          transA ? m : k,
          b,
          transB ? k : n,
          0,
          c,
          n,
        );
      },
    };
  }
  return undefined;
}

/** OpenBLAS's build string (it names the CPU kernel chosen), or the library's path. */
function describe(path: string): string {
  try {
    const lib = Deno.dlopen(path, OPENBLAS_CONFIG);
    const config = lib.symbols.openblas_get_config();
    return config ? new Deno.UnsafePointerView(config).getCString() : path;
  } catch {
    return path; // Accelerate has no openblas_get_config
  }
}
