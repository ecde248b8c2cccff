/**
 * One thread of tfjs-backend-wasm's threaded build, in a `node:worker_threads`
 * Worker under Deno: the script lib/kernels/wasm_threads.ts starts in place of
 * Emscripten's own worker script, which Deno cannot start (see there).
 *
 * It receives, as `workerData`, the source text of Emscripten's worker script
 * (`wasmWorkerContents` in tfjs's bundle). It defines the free variables that
 * script and the factory it later loads expect of tfjs's Node bundle, then
 * runs it: from there on Emscripten's own code answers the main thread's
 * messages (`load`, `run`). Its `importScripts` gets the factory's source
 * text, not a path, so this worker reads no file but itself.
 *
 * Graded runs load tfjs from the grader's bundle (grader/vendor.ts), where the
 * factory's free variables have other names (`__require`) and its script
 * folder comes from `import.meta.url`, which a script evaluated here cannot
 * use: that is replaced by this worker's URL (the folder is never read: the
 * main thread sends the compiled module). grader/sandbox_test.ts starts
 * threads in a graded run.
 *
 * Imported anywhere but such a worker (the grader's preload imports every
 * module of lib/), it does nothing.
 *
 * @module
 */
import { createRequire } from "node:module";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import perfHooks from "node:perf_hooks";

/** What lib/kernels/wasm_threads.ts hands a worker it starts. */
export interface ThreadWorkerData {
  /** Emscripten's worker script, as tfjs 4.22 embeds it. */
  emscriptenWorkerSource: string;
}

if (!isMainThread && parentPort && typeof workerData?.emscriptenWorkerSource === "string") {
  const { emscriptenWorkerSource } = workerData as ThreadWorkerData;
  const here = new URL(import.meta.url).pathname;
  Object.assign(globalThis, {
    // Emscripten's worker script, Node branch:
    require: createRequire(import.meta.url),
    __require: createRequire(import.meta.url), // the grader's bundle
    __filename: here,
    __dirname: path.dirname(here),
    // The factory's free variables in tfjs's bundle: its imports and TypeScript's helpers.
    require$$0: fs,
    require$$1: path,
    require$$3: perfHooks,
    require$$4: os,
    commonjsGlobal: globalThis,
    _scriptDir: undefined,
    __values: (o: Iterable<unknown>) => o[Symbol.iterator](),
    __read: (o: Iterable<unknown>) => [...o],
    __spreadArray: (to: unknown[], from: ArrayLike<unknown>) =>
      to.concat(Array.prototype.slice.call(from)),
  });
  // The Node branch assigns `location`, which Deno's worker scope defines with a getter only.
  Object.defineProperty(globalThis, "location", {
    value: undefined,
    writable: true,
    configurable: true,
  });
  (0, eval)(emscriptenWorkerSource); // listens on parentPort from now on
  // The main thread sends the factory's source text where Emscripten expects a script's path.
  (globalThis as { importScripts?: unknown }).importScripts = (source: string) =>
    (0, eval)(source.replaceAll("import.meta.url", JSON.stringify(import.meta.url)));
}
