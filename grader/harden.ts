/**
 * Hardening for a grading process: `deno test --preload=grader/harden.ts`.
 *
 * The grader runs each test file in its own `deno test` process, and that
 * process also runs the student's code. ES module order means the student's
 * module body runs before the test file's: without this preload it could
 * replace `Deno.test`, `Math.abs` or `Array.prototype.every` and make failing
 * tests pass. This module runs first and, before any student code exists:
 *
 * - loads the trusted modules the tests use (tfjs, its backends, `lib/`,
 *   `datasets/`, `node:assert`, `node:util`) and starts every backend the
 *   tests will use, so their state is set up by trusted code;
 * - withdraws `Deno.test` (lib/testing.ts, loaded here first, keeps its own
 *   reference), so tests are declared only through lib's `test()`, and hides
 *   `Deno[Deno.internal].core`, which reaches the test runner's result events;
 * - makes `Deno.exit`, `close()` and `process.exit`/`abort`/`reallyExit`
 *   throw, so a submission cannot end the process to lose its failures;
 * - freezes the JavaScript built-ins (and `Deno`'s), so the assertion
 *   helpers compute with the real `Math.abs` and `Array.prototype.every`, and
 *   the exports of those trusted modules (`BOTH_BACKENDS`, say);
 * - freezes tfjs's classes, its engine's and backends' methods, and lets its
 *   kernel and gradient registries hold only the kernels registered so far
 *   (lib/backend.ts swaps between tfjs's and lib/kernels' as it switches
 *   backends; nothing else may come in).
 *
 * What it does not stop is listed in grader/README.md ("Threat model").
 *
 * Assigning to a frozen inherited property (`this.name = "MyError"`) would
 * throw in strict code; the properties that ordinary code shadows this way
 * stay assignable on instances (an own property is created), as in SES.
 *
 * @module
 */
import "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import util from "node:util";
import process from "node:process";
import { BACKENDS, isAvailable, setupBackend, useBackend } from "../lib/backend.ts";
import { readEnv } from "../lib/env.ts";

const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, preventExtensions } = Object;
const { ownKeys } = Reflect;

/** Loads every non-test module of `lib/` and `datasets/` (subfolders too), so each is set up by trusted code. */
async function loadTrustedModules(): Promise<object[]> {
  const modules: object[] = [];
  const load = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await load(new URL(`${entry.name}/`, dir));
      else if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        modules.push(await import(new URL(entry.name, dir).href));
      }
    }
  };
  for (const folder of ["../lib/", "../datasets/"]) await load(new URL(folder, import.meta.url));
  return modules;
}

/**
 * Starts the backends the tests can use — those GRADLAB_TEST_BACKENDS names, and
 * the one `setupBackend()` picks for tests that name none — so their state and
 * kernels are set up by trusted code (no backend can start once tfjs is locked).
 * Others stay unstarted: a WebGPU device on Mesa costs start-up time and memory.
 */
async function startBackends(): Promise<void> {
  const named = readEnv("GRADLAB_TEST_BACKENDS")?.split(",").map((s) => s.trim());
  const { backend: chosen } = await setupBackend();
  for (const backend of BACKENDS) {
    const used = backend === chosen || (named ?? BACKENDS).includes(backend);
    if (used && await isAvailable(backend)) await useBackend(backend);
  }
}

function refuse(what: string, instead: string): () => never {
  return () => {
    throw new Error(`${what} is not allowed while grading: ${instead}.`);
  };
}

/** Makes `target[key]` read-only and undeletable, first setting it to `value` if one is given. */
function pin(target: object, key: PropertyKey, value?: unknown): void {
  const desc = getOwnPropertyDescriptor(target, key);
  if (value !== undefined) {
    defineProperty(target, key, { value, writable: false, enumerable: true, configurable: false });
  } else if (desc && "value" in desc) {
    defineProperty(target, key, { ...desc, writable: false, configurable: false });
  } else if (desc) {
    defineProperty(target, key, { ...desc, configurable: false });
  }
}

/** Withdraws `Deno.test`, hides the runtime's internals, turns process exits into errors, freezes `Deno`. */
function lockDeno(): void {
  const internal = (Deno as unknown as { internal: symbol }).internal;
  const internals = (Deno as unknown as Record<symbol, object>)[internal];
  const hidden = new Proxy(internals, {
    get: (t, k) => (k === "core" ? undefined : Reflect.get(t, k)),
    has: (t, k) => k !== "core" && Reflect.has(t, k),
    ownKeys: (t) => Reflect.ownKeys(t).filter((k) => k !== "core"),
    getOwnPropertyDescriptor: (t, k) =>
      k === "core" ? undefined : Reflect.getOwnPropertyDescriptor(t, k),
    defineProperty: (t, k, d) => k !== "core" && Reflect.defineProperty(t, k, d),
    deleteProperty: () => false,
    getPrototypeOf: () => null,
    setPrototypeOf: () => false,
  });
  pin(Deno, internal, hidden);
  pin(Deno, "test", refuse("Deno.test()", "graded tests come from the grader's test files"));
  pin(Deno, "exit", refuse("Deno.exit()", "return a value or throw an error instead"));
  pin(globalThis, "close", refuse("close()", "return a value or throw an error instead"));
  for (const name of ["exit", "reallyExit", "abort"]) {
    pin(process, name, refuse(`process.${name}()`, "return a value or throw an error instead"));
  }
  for (const key of ownKeys(Deno)) pin(Deno, key);
  deepFreeze([Deno.args, Deno.permissions, Deno.env, Deno.build, navigator]);
  if (navigator.gpu) deepFreeze([navigator.gpu]);
}

/** A kernel or gradient config, as tfjs's registries hold them. */
type KernelConfig = { kernelName: string; backendName?: string };

/** tfjs's two registries, and the key each files a config under. */
const REGISTRIES: [string, (config: KernelConfig) => string][] = [
  ["kernelRegistry", (c) => `${c.backendName}_${c.kernelName}`],
  ["gradRegistry", (c) => c.kernelName],
];

function tfRegistry(name: string): Map<string, KernelConfig> {
  const globals = (globalThis as unknown as { _tfGlobals: Map<string, unknown> })._tfGlobals;
  return globals.get(name) as Map<string, KernelConfig>;
}

/** Every kernel and gradient config registered by trusted code. */
const trustedKernels = new Set<KernelConfig>();
/** Whether code registering kernels now is trusted: true until {@linkcode lockTfjs}. */
let trusting = true;

/**
 * Takes charge of tfjs's registries: until {@linkcode lockTfjs}, every config
 * registered (and every one there already) is noted as trusted; after it, only
 * those may be registered again, under their own names. (lib/backend.ts swaps
 * between tfjs's kernels, lib/kernels' and its stubs as it switches backends.)
 */
function watchRegistries(): void {
  const mapSet = Map.prototype.set;
  for (const [name, keyOf] of REGISTRIES) {
    const registry = tfRegistry(name);
    for (const config of registry.values()) trustedKernels.add(config);
    const refused = refuse(
      "Registering a kernel of your own",
      "use the kernels tfjs and lib/ provide",
    );
    pin(registry, "set", (key: string, config: KernelConfig) => {
      if (trusting) trustedKernels.add(config);
      else if (!trustedKernels.has(config) || key !== keyOf(config)) refused();
      return Reflect.apply(mapSet, registry, [key, config]);
    });
    pin(registry, "clear", refuse(`Clearing tfjs's ${name}`, "use the kernels tfjs provides"));
    preventExtensions(registry);
  }
}

/**
 * Freezes tfjs's classes, namespaces, engine and backend methods, and its
 * registries: they may hold only the configs trusted code registered.
 */
function lockTfjs(): void {
  const engine = tf.engine() as unknown as Record<string, unknown>;
  pinMethods(engine);
  for (const name of ["registry", "registryFactory"]) seal(engine[name] as object);
  for (const backend of Object.values(engine.registry as Record<string, object>)) {
    pinMethods(backend);
  }
  trusting = false;
  for (const config of trustedKernels) seal(config);
  pin(globalThis, "_tfGlobals");
  pin(globalThis, "_tfengine");
  const exported = Object.values(tf).filter((v) => typeof v === "function" || isPlainObject(v));
  deepFreeze(exported as object[], true);
}

/** Makes an instance's methods (from its prototype chain) non-writable own properties. */
function pinMethods(instance: object): void {
  for (let proto = getPrototypeOf(instance); proto && proto !== Object.prototype;) {
    for (const key of ownKeys(proto)) {
      const desc = getOwnPropertyDescriptor(proto, key)!;
      if (
        key !== "constructor" && typeof desc.value === "function" && !(Object.hasOwn(instance, key))
      ) {
        pin(instance, key, desc.value);
      }
    }
    deepFreeze([proto], true);
    proto = getPrototypeOf(proto);
  }
}

/** Pins every own property of `object` and lets it gain no more (its values stay as they are). */
function seal(object: object): void {
  for (const key of ownKeys(object)) pin(object, key);
  preventExtensions(object);
}

function isPlainObject(v: unknown): v is object {
  if (typeof v !== "object" || v === null) return false;
  const proto = getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

/** The standard built-ins of JavaScript, by global name. */
const BUILTINS = [
  "Object",
  "Function",
  "Array",
  "Number",
  "parseFloat",
  "parseInt",
  "Boolean",
  "String",
  "Symbol",
  "Date",
  "Promise",
  "RegExp",
  "Error",
  "AggregateError",
  "EvalError",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
  "TypeError",
  "URIError",
  "JSON",
  "Math",
  "Intl",
  "ArrayBuffer",
  "Atomics",
  "Uint8Array",
  "Int8Array",
  "Uint16Array",
  "Int16Array",
  "Uint32Array",
  "Int32Array",
  "Float16Array",
  "Float32Array",
  "Float64Array",
  "Uint8ClampedArray",
  "BigUint64Array",
  "BigInt64Array",
  "DataView",
  "Map",
  "BigInt",
  "Set",
  "WeakMap",
  "WeakSet",
  "Proxy",
  "Reflect",
  "FinalizationRegistry",
  "WeakRef",
  "decodeURI",
  "decodeURIComponent",
  "encodeURI",
  "encodeURIComponent",
  "escape",
  "unescape",
  "eval",
  "isFinite",
  "isNaN",
  "SharedArrayBuffer",
  "WebAssembly",
  "Iterator",
  "structuredClone",
  "queueMicrotask",
  "console",
];

/** Built-ins reachable only through syntax. */
function hiddenIntrinsics(): object[] {
  return [
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function () {}),
    getPrototypeOf(async function* () {}),
    getPrototypeOf([][Symbol.iterator]()),
    getPrototypeOf(new Map()[Symbol.iterator]()),
    getPrototypeOf(new Set()[Symbol.iterator]()),
    getPrototypeOf(""[Symbol.iterator]()),
    getPrototypeOf(/a/[Symbol.matchAll]("")),
  ];
}

/**
 * Inherited properties that ordinary code assigns on its own objects
 * (`this.name = …` in an Error subclass, `Foo.prototype.constructor = Foo`).
 * On a frozen prototype they become accessors whose setter defines an own property.
 */
const OVERRIDABLE = new Set<PropertyKey>([
  "constructor",
  "name",
  "message",
  "toString",
  "valueOf",
  "toLocaleString",
  "toJSON",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "stack",
  Symbol.toStringTag,
]);

/** Properties that the runtime itself keeps changing. */
const STAYS_WRITABLE = new Set<PropertyKey>(["stackTraceLimit"]);

/** Objects already frozen (or being frozen). */
const seen = new WeakSet<object>();

/**
 * Freezes each object and everything reachable from it by properties and prototypes.
 * With `methodsOnly`, data properties that hold no function stay writable (tfjs keeps
 * counters such as `Engine.nextTensorId` on its classes).
 */
function deepFreeze(roots: unknown[], methodsOnly = false): void {
  const todo = [...roots];
  while (todo.length) {
    const object = todo.pop();
    if ((typeof object !== "object" && typeof object !== "function") || object === null) continue;
    if (seen.has(object) || object === globalThis || ArrayBuffer.isView(object)) continue;
    seen.add(object);
    todo.push(getPrototypeOf(object));
    for (const key of ownKeys(object)) {
      const desc = getOwnPropertyDescriptor(object, key)!;
      if ("value" in desc) {
        todo.push(desc.value);
        // Function.prototype is itself a function, and its toString is one code
        // assigns on its own functions (d3-format, which lib/plot.ts draws with, does).
        const assignable = typeof object !== "function" || object === Function.prototype;
        if (desc.configurable && OVERRIDABLE.has(key) && assignable) {
          defineProperty(object, key, overridable(object, key, desc));
          continue;
        }
        const keep = STAYS_WRITABLE.has(key) || (methodsOnly && typeof desc.value !== "function");
        defineProperty(object, key, {
          ...desc,
          writable: desc.writable && keep,
          configurable: false,
        });
      } else {
        todo.push(desc.get, desc.set);
        if (desc.configurable) defineProperty(object, key, { ...desc, configurable: false });
      }
    }
    if (!methodsOnly) preventExtensions(object);
  }
}

/** An accessor that reads `desc.value` and, assigned on an heir, gives the heir an own property. */
function overridable(home: object, key: PropertyKey, desc: PropertyDescriptor): PropertyDescriptor {
  const value = desc.value;
  // Methods, unlike `function` expressions, have no `prototype` to freeze in turn.
  const accessor = {
    get() {
      return value;
    },
    set(this: object, v: unknown) {
      if (this === home) {
        throw new TypeError(`Cannot assign to read only property '${String(key)}'`);
      }
      defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
    },
  };
  for (const f of [accessor.get, accessor.set]) {
    seen.add(f);
    Object.freeze(f);
  }
  return { get: accessor.get, set: accessor.set, enumerable: desc.enumerable, configurable: false };
}

function lockBuiltins(): void {
  const roots: unknown[] = hiddenIntrinsics();
  for (const name of BUILTINS) {
    if (!(name in globalThis)) continue;
    roots.push((globalThis as Record<string, unknown>)[name]);
    pin(globalThis, name);
  }
  for (
    const name of ["globalThis", "Infinity", "NaN", "undefined", "Deno", "navigator", "process"]
  ) {
    pin(globalThis, name);
  }
  deepFreeze(roots);
}

const trusted = await loadTrustedModules();
watchRegistries();
await startBackends();
lockBuiltins();
lockDeno();
lockTfjs();
deepFreeze([assert, util], true);
deepFreeze(trusted.flatMap((module) => Object.values(module)));
