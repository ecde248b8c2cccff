/**
 * tfjs-backend-wasm's threaded build under Deno: XNNPACK's products,
 * convolutions and elementwise kernels on every core the process may use.
 *
 * tfjs 4.22 ships a threaded SIMD build but never starts it under Deno, and
 * could not if it tried. This module is the shim that makes it run, pinned to
 * the versions it was written against ({@linkcode PINNED}); on any other, or
 * on one core, tfjs keeps its one-thread SIMD build and
 * {@linkcode wasmThreads} says why. What it works around (line numbers in
 * tfjs-backend-wasm 4.22's `dist/tf-backend-wasm.node.js`):
 *
 * 1. `WASM_HAS_MULTITHREAD_SUPPORT` is false wherever `process` exists (l. 7633),
 *    as it does in Deno: the flag is set here.
 * 2. Emscripten starts each thread with `new (require("worker_threads").Worker)(url)`
 *    (l. 7741, 8145), and tfjs's `locateFile` gives it a `blob:` URL (l. 9323), which
 *    Deno's `node:worker_threads` refuses (`ERR_WORKER_PATH`); the worker would then
 *    load the factory from a Blob with `importScripts`, which Node workers lack. Here
 *    `Worker` is replaced, during start-up only, by {@linkcode EmscriptenWorker}, which
 *    starts lib/kernels/wasm_threads_worker.ts instead and hands it both scripts' text.
 * 3. Emscripten makes 8 workers up front (l. 8031) whatever the thread count, ~14 MB
 *    each; XNNPACK's pool uses `threads − 1` of them. Only those start here: the others
 *    answer "loaded" and never run.
 * 4. tfjs's C++ caps the pool at half of `os.cpus().length` (which would also need
 *    `--allow-sys`); `os.cpus` reports 2 × the count asked for during start-up.
 * 5. Emscripten keeps a thread's worker referenced while it runs, and XNNPACK's run
 *    forever, so the process would never exit: the workers stay unreferenced.
 *
 * No permission beyond reading lib/ is needed: the worker is started from its file
 * and reads nothing else. Results are bitwise those of one thread: XNNPACK splits the
 * outputs among threads, and each output is summed in the same order either way
 * (lib/determinism_test.ts checks it).
 *
 * @example Before the wasm backend starts (lib/backend.ts does this)
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { requestWasmThreads, wasmThreads } from "./wasm_threads.ts";
 * requestWasmThreads(navigator.hardwareConcurrency);
 * await tf.setBackend("wasm");
 * console.log(wasmThreads()); // { threads: 2, reason: "2 cores" }
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import os from "node:os";
import workerThreads from "node:worker_threads";
import type { ThreadWorkerData } from "./wasm_threads_worker.ts";

/** The versions whose internals this shim patches; on others, threads stay off. */
export const PINNED = { tfjsBackendWasm: "4.22.0", deno: "2.9." } as const;

/** Emscripten's pool of pre-made workers: more threads would need workers made after start-up. */
export const MAX_THREADS = 8;

/** How long the started workers may take to load the module before threads are given up. */
const START_TIMEOUT_MS = 30_000;

/** How many threads the wasm backend runs, and why. */
export interface ThreadsInfo {
  /** XNNPACK's thread count, the calling thread included. */
  threads: number;
  /** Why: `"2 cores"`, `"GRADLAB_THREADS=1"`, or why threads are off. */
  reason: string;
}

let info: ThreadsInfo | undefined;
let restore: (() => void) | undefined;

/**
 * Asks for `threads` threads (clamped to 1…{@linkcode MAX_THREADS}), before the wasm
 * backend starts; `reason` says where the number came from. With 1, on versions
 * other than {@linkcode PINNED}, or once the backend has started, tfjs's one-thread
 * build runs ({@linkcode wasmThreads} says why).
 */
export function requestWasmThreads(threads: number, reason = `${threads} cores`): void {
  if (wasmStarted()) {
    info = { threads: 1, reason: "the wasm backend started before threads were asked for" };
    return;
  }
  const count = Math.max(1, Math.min(MAX_THREADS, Math.floor(threads)));
  const versions = `tfjs-backend-wasm ${tfWasm.version_wasm}, Deno ${Deno.version.deno}`;
  if (count === 1) {
    info = { threads: 1, reason };
    return;
  }
  if (
    tfWasm.version_wasm !== PINNED.tfjsBackendWasm || !Deno.version.deno.startsWith(PINNED.deno)
  ) {
    info = {
      threads: 1,
      reason: `the threads shim is written for tfjs-backend-wasm ${PINNED.tfjsBackendWasm} ` +
        `and Deno ${PINNED.deno}x, not ${versions}`,
    };
    return;
  }
  info = { threads: count, reason };
  const nodeWorker = workerThreads.Worker;
  const webWorker = globalThis.Worker;
  const cpus = os.cpus;
  const writable = (object: object) => object as Record<string, unknown>;
  writable(workerThreads).Worker = EmscriptenWorker;
  writable(os).cpus = () => Array.from({ length: 2 * count }, () => ({}));
  restore = () => {
    writable(workerThreads).Worker = nodeWorker;
    writable(os).cpus = cpus;
    globalThis.Worker = webWorker; // Emscripten set it to node's (l. 7741)
    restore = undefined;
  };
  pool = new WorkerPool(count - 1, nodeWorker);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  tfWasm.setThreadsCount(count);
}

/**
 * The threads the wasm backend runs, once it has started; it also undoes the
 * start-up patches. Without {@linkcode requestWasmThreads}: one thread.
 *
 * @throws Error if the wasm backend has not started.
 */
export function wasmThreads(): ThreadsInfo {
  if (!wasmStarted()) throw new Error("The wasm backend has not started yet.");
  restore?.();
  const threads = tfWasm.getThreadsCount();
  const asked = info ?? { threads: 1, reason: "no threads asked for" };
  if (threads === asked.threads) return asked;
  return { threads, reason: pool?.failure ?? `tfjs started ${threads}, not ${asked.threads}` };
}

/** Whether tfjs has started its wasm backend (tfjs knows its thread count from then on). */
function wasmStarted(): boolean {
  try {
    tfWasm.getThreadsCount();
    return true;
  } catch {
    return false;
  }
}

type NodeWorker = InstanceType<typeof workerThreads.Worker>;

/** The `cmd` of a message between Emscripten's main thread and a worker. */
type Message = { cmd?: string; [key: string]: unknown };
type Listener = (data: unknown) => void;

/**
 * The real workers XNNPACK's threads run in: started when Emscripten sends its
 * first `load` (the compiled module and the shared memory), each ready when it
 * answers `loaded`. Started by {@linkcode requestWasmThreads}.
 */
class WorkerPool {
  /** Why the threads could not start, if they could not. */
  failure: string | undefined;
  #idle: NodeWorker[] = [];
  #ready: Promise<void> | undefined;
  #workerSource: Promise<string> | undefined;

  constructor(readonly size: number, readonly Worker: typeof workerThreads.Worker) {}

  /** Emscripten's worker script, from the first `blob:` URL it passes (all are the same). */
  noteScript(url: string | URL): void {
    this.#workerSource ??= fetch(url).then((r) => r.text());
  }

  /** Starts the workers with `load` (once); resolves when all answered, or gave up. */
  start(load: Message): Promise<void> {
    this.#ready ??= this.#startAll(load);
    return this.#ready;
  }

  /** A ready worker for one thread. */
  take(): NodeWorker {
    const worker = this.#idle.pop();
    if (!worker) {
      throw new Error(
        "tfjs-backend-wasm asked for more threads than the shim started " +
          `(${this.size}); set GRADLAB_THREADS=1 and report this.`,
      );
    }
    if (this.#idle.length === 0) restore?.(); // the last thread: start-up is over
    return worker;
  }

  async #startAll(load: Message): Promise<void> {
    const started: NodeWorker[] = [];
    try {
      await withTimeout(this.#load(load, started), START_TIMEOUT_MS);
      for (const worker of started) worker.removeAllListeners();
      this.#idle = started;
    } catch (e) {
      // Give up on threads before tfjs makes any: it reads the count after every `loaded`.
      this.failure = `threads could not start: ${(e as Error).message}`;
      tfWasm.setThreadsCount(1);
      for (const worker of started) worker.terminate();
    }
  }

  /** Starts the workers (into `started`) and resolves when each has loaded the module. */
  async #load(load: Message, started: NodeWorker[]): Promise<void> {
    // The factory comes as a Blob (tfjs's mainScriptUrlOrBlob); a worker gets its text.
    const factorySource = await (load.urlOrBlob as Blob).text();
    const data: ThreadWorkerData = { emscriptenWorkerSource: await this.#workerSource! };
    const script = new URL("./wasm_threads_worker.ts", import.meta.url);
    const loaded = Array.from({ length: this.size }, () => {
      const worker = new this.Worker(script, { workerData: data });
      worker.unref();
      started.push(worker);
      return new Promise<void>((resolve, reject) => {
        worker.on("message", (m: Message) => m?.cmd === "loaded" && resolve());
        worker.on("error", reject);
        worker.on("exit", (code) => reject(new Error(`a worker exited with code ${code}`)));
        worker.postMessage({ ...load, urlOrBlob: factorySource });
      });
    });
    await Promise.all(loaded);
  }
}

/** `promise`, or a rejection after `ms` milliseconds. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

let pool: WorkerPool | undefined;

/**
 * What Emscripten takes for a `node:worker_threads` Worker: a stand-in that
 * answers `load` with `loaded` once the pool is ready, and, when given a thread
 * to `run`, becomes a pipe to one of the pool's real workers.
 */
class EmscriptenWorker {
  #listeners: Record<string, Listener[]> = { message: [], error: [] };
  #worker: NodeWorker | undefined;

  constructor(url: string | URL) {
    pool!.noteScript(url);
  }

  /** Emscripten listens for `message` and `error` (and `detachedExit`, which never comes). */
  on(event: string, listener: Listener): this {
    this.#listeners[event]?.push(listener);
    return this;
  }

  postMessage(message: Message, transfer?: readonly Transferable[]): void {
    if (this.#worker) {
      this.#worker.postMessage(message, transfer as []);
    } else if (message.cmd === "load") {
      pool!.start(message).then(() => this.#emit("message", { cmd: "loaded" }));
    } else if (message.cmd === "run") {
      this.#worker = pool!.take();
      this.#worker.on("message", (m: Message) => this.#emit("message", m));
      this.#worker.on("error", (e: Error) => this.#emit("error", e));
      this.#worker.postMessage(message, transfer as []);
    } else {
      throw new Error(`Emscripten sent '${message.cmd}' to a worker that runs no thread.`);
    }
  }

  /** Emscripten references a worker while its thread runs; XNNPACK's run until exit. */
  ref(): void {}

  unref(): void {}

  terminate(): void {
    this.#worker?.terminate();
  }

  #emit(event: string, data: unknown): void {
    for (const listener of this.#listeners[event]) listener(data);
  }
}
