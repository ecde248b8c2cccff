/**
 * Native BLAS (OpenBLAS or Apple Accelerate) through Deno's FFI: one sgemm.
 *
 * `sgemm` multiplies float32 matrices at 100–400 GFLOP/s on one or two
 * cores, 3–10× what WASM reaches. It is native code, so it needs Deno's FFI
 * permission, which lifts Deno's sandbox (even scoped to one library: libc's
 * symbols resolve through its handle), so graded runs never have it.
 * {@linkcode loadBlas} returns `undefined`, never throws, when the permission
 * is missing or no library is found, and gradlab then keeps its portable
 * WASM kernels.
 *
 * The libraries are looked for at {@linkcode BLAS_PATHS}, by absolute path:
 * `deno task test` and the training scripts grant FFI on exactly those files
 * (`--allow-ffi=…` in deno.json), which is how a student's own runs get native
 * kernels. With FFI granted everywhere (`--allow-ffi`, `-A`), the loader's own
 * search by name is tried as well (LD_LIBRARY_PATH, Windows' `libopenblas.dll`).
 * Only Debian's OpenBLAS 0.3.21 was tested; the others export the same LP64
 * `cblas_sgemm`. OpenBLAS reads `OPENBLAS_CORETYPE` and `OPENBLAS_NUM_THREADS`
 * when it loads; gradlab leaves both to the environment.
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

/** Where the BLAS libraries gradlab uses live, in the order tried. */
export const BLAS_PATHS: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", // Debian, Ubuntu: libopenblas0
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0", // Fedora, openSUSE: openblas
  "/usr/lib/libopenblas.so.0", // Arch: openblas
  "/System/Library/Frameworks/Accelerate.framework/Accelerate", // macOS, built in
];

/** The permission flag that lets a run open exactly the libraries of {@linkcode BLAS_PATHS}. */
export const BLAS_FFI_FLAG = `--allow-ffi=${BLAS_PATHS.join(",")}`;

/** Found by the system's loader; tried only where all of FFI is allowed. */
const BLAS_NAMES = ["libopenblas.so.0", "libopenblas.dylib", "libopenblas.dll"];

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

const OPENBLAS_INFO = {
  openblas_get_config: { parameters: [], result: "pointer" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
} as const;

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

let loaded: Blas | null | undefined;

/** The system's BLAS, or `undefined` without FFI permission or without a library. Loads once. */
export function loadBlas(): Blas | undefined {
  if (loaded === undefined) loaded = open() ?? null;
  return loaded ?? undefined;
}

/** Whether this process may open a BLAS library at all (FFI on a path of {@linkcode BLAS_PATHS}, or everywhere). */
export function blasAllowed(): boolean {
  return allowed() || BLAS_PATHS.some((path) => allowed(path));
}

function allowed(path?: string): boolean {
  return Deno.permissions.querySync({ name: "ffi", path }).state === "granted";
}

function open(): Blas | undefined {
  const candidates = [
    ...BLAS_PATHS.filter((path) => allowed(path)),
    ...(allowed() ? BLAS_NAMES : []),
  ];
  for (const path of candidates) {
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

/**
 * OpenBLAS's build string (it names the CPU kernel chosen), where reading a C
 * string is allowed (FFI granted everywhere); else the library's path, and
 * OpenBLAS's thread count.
 */
function describe(path: string): string {
  let lib;
  try {
    lib = Deno.dlopen(path, OPENBLAS_INFO);
  } catch {
    return path; // Accelerate has no openblas_* functions
  }
  const config = lib.symbols.openblas_get_config();
  if (config && Deno.permissions.querySync({ name: "ffi" }).state === "granted") {
    return new Deno.UnsafePointerView(config).getCString();
  }
  return `OpenBLAS at ${path}, ${lib.symbols.openblas_get_num_threads()} threads`;
}
