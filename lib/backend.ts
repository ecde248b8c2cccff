/**
 * Backend bring-up: one call chooses where tfjs runs and says what it chose.
 *
 * | backend  | what it is                                   | when `auto` picks it            |
 * | -------- | -------------------------------------------- | ------------------------------- |
 * | `webgpu` | tfjs-backend-webgpu on `navigator.gpu`       | a hardware GPU adapter exists   |
 * | `wasm`   | tfjs-backend-wasm, SIMD, one thread          | otherwise (software GPU or none) |
 * | `cpu`    | tfjs's plain-JavaScript kernels (~30× slower) | never; ask for it by name       |
 *
 * Mesa's software Vulkan driver (lavapipe) gives a real WebGPU adapter on a
 * machine with no GPU; it runs the same shaders but ~7× slower than WASM, so
 * `auto` does not choose it. Ask for `webgpu` by name to test that path.
 *
 * Three Deno facts are handled here so no student meets them:
 * - tfjs-webgpu's synchronous reads (`dataSync`, `arraySync`, `bufferSync`,
 *   `print`) crash in Deno. They are replaced, on every backend, by an error
 *   that names the async function to use instead: code that passes on WASM
 *   then also passes on WebGPU.
 * - Small ops silently run on the CPU unless `WEBGPU_CPU_FORWARD` is off; it
 *   is turned off, so a WebGPU test really tests WebGPU.
 * - Some kernels are missing on some backends (WASM has no
 *   `Conv2DBackpropFilter`, for one). Calling one throws a
 *   {@linkcode MissingKernelError} that names the kernel and the backend.
 *
 * On WASM, faster kernels are installed over tfjs's (see
 * lib/kernels/kernel_sets.ts): `portable` ones by default, and `native` ones
 * (OpenBLAS through FFI) when Deno runs with `--allow-ffi`. Set
 * `GRADLAB_KERNELS` to `stock`, `portable` or `native` to choose by hand.
 *
 * @example Choose from `--backend`, `GRADLAB_BACKEND`, or let `auto` decide
 * ```ts
 * import { setupBackend } from "./backend.ts";
 * const info = await setupBackend();
 * console.log(describeBackend(info)); // "wasm (auto: no GPU adapter); kernels: portable"
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
import { readEnv } from "./env.ts";
import { installKernels, KERNEL_CHOICES, type KernelChoice } from "./kernels/kernel_sets.ts";

/** A tfjs backend this suite runs on. */
export type Backend = "webgpu" | "wasm" | "cpu";
/** A backend, or `auto` to let {@linkcode setupBackend} pick one. */
export type BackendChoice = Backend | "auto";

/** Every backend, in the order `auto` prefers them. */
export const BACKENDS: readonly Backend[] = ["webgpu", "wasm", "cpu"];
const CHOICES: readonly BackendChoice[] = ["auto", ...BACKENDS];

/** What {@linkcode setupBackend} chose, and why. */
export interface BackendInfo {
  /** The backend tfjs now runs on. */
  backend: Backend;
  /** The GPU adapter's description (`"llvmpipe (LLVM 15.0.6, 256 bits)"`), if any was found. */
  adapter?: string;
  /** Whether that adapter is a software rasteriser rather than a GPU. */
  software?: boolean;
  /** Where the choice came from, in words. */
  reason: string;
  /** The kernel set installed, in words: `"portable"`, `"native (OpenBLAS …)"`, `"stock"`. */
  kernels: string;
}

/** Thrown when a kernel a computation needs does not exist on the current backend. */
export class MissingKernelError extends Error {
  constructor(readonly kernel: string, readonly backend: string) {
    super(
      `Kernel '${kernel}' does not exist on the '${backend}' backend of tfjs 4.22, ` +
        `so this computation cannot run there. Run it on a backend that has it ` +
        `(--backend=webgpu or --backend=cpu), or express it with other ops.`,
    );
    this.name = "MissingKernelError";
  }
}

/**
 * Chooses a backend, initialises it and reports the choice.
 *
 * The choice comes from, in order: the `choice` argument, a `--backend=NAME`
 * (or `--backend NAME`) command-line flag, the `GRADLAB_BACKEND` environment
 * variable, and finally `auto`.
 *
 * @param choice `auto`, `webgpu`, `wasm` or `cpu`; omit it to read the flag or environment.
 * @returns the backend chosen, the GPU adapter seen, and the reason.
 * @throws Error for an unknown name, or for `webgpu` on a machine with no adapter.
 */
export async function setupBackend(choice?: BackendChoice): Promise<BackendInfo> {
  const [requested, source] = resolveChoice(choice);
  const adapter = await describeAdapter();
  let backend: Backend;
  let reason: string;
  if (requested === "auto") {
    backend = adapter && !adapter.software ? "webgpu" : "wasm";
    reason = !adapter
      ? "auto: no GPU adapter"
      : adapter.software
      ? "auto: the GPU adapter is software, WASM is faster"
      : "auto: hardware GPU adapter";
  } else {
    backend = requested;
    reason = `asked for by ${source}`;
  }
  if (backend === "webgpu" && !adapter) {
    throw new Error(
      `The webgpu backend was ${reason}, but navigator.gpu.requestAdapter() found no adapter. ` +
        `On Linux without a GPU, install Mesa's software Vulkan driver ` +
        `(sudo apt-get install mesa-vulkan-drivers), or choose --backend=wasm.`,
    );
  }
  const kernels = await activate(backend);
  return { backend, adapter: adapter?.description, software: adapter?.software, reason, kernels };
}

/**
 * One line for logs:
 * `"webgpu on llvmpipe (LLVM 15.0.6, 256 bits), software (asked for by --backend); kernels: stock"`.
 */
export function describeBackend(info: BackendInfo): string {
  const where = info.backend === "webgpu" && info.adapter
    ? ` on ${info.adapter}${info.software ? ", software" : ""}`
    : "";
  return `${info.backend}${where} (${info.reason}); kernels: ${info.kernels}`;
}

/**
 * Switches tfjs to `backend`, which must be available, without the `auto` logic.
 * Tests use it to run one check on each backend in turn.
 *
 * @returns the kernel set installed, as in {@linkcode BackendInfo.kernels}.
 */
export function useBackend(backend: Backend): Promise<string> {
  return activate(backend);
}

/** Whether a backend can start here: WebGPU needs an adapter; WASM and CPU always can. */
export async function isAvailable(backend: Backend): Promise<boolean> {
  return backend !== "webgpu" || (await describeAdapter()) !== undefined;
}

function resolveChoice(choice?: BackendChoice): [BackendChoice, string] {
  if (choice !== undefined) return [validate(choice, "setupBackend()"), "setupBackend()"];
  const flag = backendFlag(Deno.args);
  if (flag !== undefined) return [validate(flag, "--backend"), "--backend"];
  const env = readEnv("GRADLAB_BACKEND");
  if (env) return [validate(env, "GRADLAB_BACKEND"), "GRADLAB_BACKEND"];
  return ["auto", "default"];
}

function validate(name: string, source: string): BackendChoice {
  if ((CHOICES as readonly string[]).includes(name)) return name as BackendChoice;
  throw new Error(
    `Unknown backend '${name}' (from ${source}): choose one of ${CHOICES.join(", ")}.`,
  );
}

/** Reads `--backend=NAME` or `--backend NAME` from command-line arguments. */
export function backendFlag(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith("--backend=")) return args[i].slice("--backend=".length);
    if (args[i] === "--backend") return args[i + 1] ?? "";
  }
  return undefined;
}

let adapterSeen: Promise<{ description: string; software: boolean } | undefined> | undefined;

function describeAdapter() {
  adapterSeen ??= (async () => {
    prepareGpuEnvironment();
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) return undefined;
    const info = adapter.info;
    const description = info.description || info.vendor || "unknown adapter";
    const software = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
      /llvmpipe|lavapipe|swiftshader|software/i.test(description);
    return { description, software };
  })();
  return adapterSeen;
}

/**
 * What WebGPU on Linux needs set before the first adapter request (the GPU
 * instance reads it once), where it is unset:
 *
 * - `DENO_WEBGPU_BACKEND=vulkan`: otherwise wgpu also probes OpenGL through
 *   EGL, which loads Mesa's GL stack; its libraries' destructors then run at
 *   exit while Deno's threads still free memory, and about one process in a
 *   hundred aborts after its work is done ("malloc_consolidate(): invalid
 *   chunk size", from libGLdispatch's destructor). Vulkan is what WebGPU uses
 *   here anyway (Mesa's lavapipe without a GPU).
 * - `XDG_RUNTIME_DIR`: without it, libwayland (loaded, never used) prints
 *   "XDG_RUNTIME_DIR is invalid or not set" into every program's output.
 *
 * Where the environment may not be changed (a graded run), the grader sets both.
 */
function prepareGpuEnvironment(): void {
  if (Deno.build.os !== "linux") return;
  const defaults = { DENO_WEBGPU_BACKEND: "vulkan", XDG_RUNTIME_DIR: readEnv("TMPDIR") ?? "/tmp" };
  for (const [name, value] of Object.entries(defaults)) {
    if (readEnv(name) !== undefined) continue;
    try {
      Deno.env.set(name, value);
    } catch {
      // not allowed to set it: WebGPU still works
    }
  }
}

let prepared = false;

/** The kernel set from `GRADLAB_KERNELS`, or `auto`. */
function kernelChoice(): KernelChoice {
  const env = readEnv("GRADLAB_KERNELS");
  if (!env) return "auto";
  if ((KERNEL_CHOICES as readonly string[]).includes(env)) return env as KernelChoice;
  throw new Error(
    `Unknown kernel set '${env}' (from GRADLAB_KERNELS): choose one of ${
      KERNEL_CHOICES.join(", ")
    }.`,
  );
}

async function activate(backend: Backend): Promise<string> {
  if (!prepared) {
    tf.enableProdMode(); // silences the "running in Node.js" banner
    tf.env().set("WEBGPU_CPU_FORWARD", false);
    forbidSyncReads();
    prepared = true;
  }
  if (tf.getBackend() !== backend) {
    if (!(await tf.setBackend(backend))) {
      throw new Error(`tfjs could not initialise the '${backend}' backend.`);
    }
  }
  await tf.ready();
  stubMissingKernels(backend); // first, so that installKernels can replace stubs with real kernels
  return installKernels(backend, kernelChoice());
}

/** Replaces tfjs's synchronous reads by an error that says what to call instead. */
function forbidSyncReads(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const asyncFor: Record<string, string> = {
    dataSync: "await t.data()",
    arraySync: "await t.array()",
    bufferSync: "await t.buffer()",
    print: "console.log(await t.array())",
  };
  for (const [name, instead] of Object.entries(asyncFor)) {
    proto[name] = function () {
      throw new Error(
        `Tensor.${name}() is not allowed in gradlab: synchronous reads crash on the ` +
          `WebGPU backend in Deno. Use ${instead} (or readScalar/readAll from lib/read.ts).`,
      );
    };
  }
}

const stubbed = new Set<string>();

/** Registers, for each kernel the CPU backend has and `backend` lacks, one that throws {@linkcode MissingKernelError}. */
function stubMissingKernels(backend: Backend): void {
  if (backend === "cpu" || stubbed.has(backend)) return;
  stubbed.add(backend);
  for (const { kernelName } of tf.getKernelsForBackend("cpu")) {
    if (tf.getKernel(kernelName, backend)) continue;
    tf.registerKernel({
      kernelName,
      backendName: backend,
      kernelFunc: () => {
        throw new MissingKernelError(kernelName, backend);
      },
    });
  }
}
