/**
 * The packages of a graded run, bundled into plain ES modules.
 *
 * A graded process must load no module from outside its run folder. npm
 * packages defeat that: a specifier such as
 * `@tensorflow/tfjs/../../../solutions/…` or `npm:…@4.22.0/../…` resolves to a
 * path inside the package folder, `..` walks out of it, and Deno loads what it
 * finds without checking read permission (modules of the graph are not
 * checked). So graded runs use no npm at all (`--no-npm`): each package the
 * course imports (`deno.json`'s `imports`) is bundled by `deno bundle` into
 * `vendor/`, a folder of ordinary files that every run folder holds a copy of,
 * and the run's import map points the package names there. A bare specifier
 * with a sub-path matches nothing in the map and is refused; a `file:` URL
 * outside the run folder is mapped to nowhere (sandbox.ts).
 *
 * The bundle is built once per set of pinned versions and kept in
 * `.cache/grading/`. One patch makes it run from plain files, and the build
 * fails if it no longer applies (after a tfjs upgrade, say): Emscripten's
 * Node branch in tfjs-backend-wasm looks for its `.wasm` next to `__dirname`,
 * which an ES module lacks — it gets the bundle's own folder instead, where
 * the `.wasm` files are copied.
 *
 * @example
 * ```ts
 * import { vendorImports, vendorFolder } from "./vendor.ts";
 * const dir = await vendorFolder();     // …/.cache/grading/vendor-1a2b…/
 * const imports = await vendorImports(); // { "@tensorflow/tfjs": "./vendor/tensorflow-tfjs.js", … }
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Bump when the way the bundle is built changes, to build it anew. */
const BUILD_VERSION = 1;
/** tfjs-backend-wasm's binaries, copied next to the bundle. */
const WASM_BINARIES = [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
];
/** Emscripten's Node branch (tfjs-backend-wasm 4.22): the script folder from `__dirname`. */
const DIRNAME = 'scriptDirectory = __dirname + "/";';
const DIRNAME_PATCHED = 'scriptDirectory = new URL(".", import.meta.url).pathname;';

/** The packages of deno.json's `imports` (bare name → `npm:` specifier). */
async function packages(): Promise<Record<string, string>> {
  const { imports } = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  return Object.fromEntries(
    Object.entries(imports as Record<string, string>).filter(([, v]) => v.startsWith("npm:")),
  );
}

/** A bare package name as a file name: `@tensorflow/tfjs` → `tensorflow-tfjs.js`. */
function fileOf(name: string): string {
  return `${name.replace(/^@/, "").replace(/[^A-Za-z0-9]+/g, "-")}.js`;
}

/** The import map entries that send each package name to its bundled file, relative to a run folder. */
export async function vendorImports(): Promise<Record<string, string>> {
  return Object.fromEntries(
    Object.keys(await packages()).map((name) => [name, `./vendor/${fileOf(name)}`]),
  );
}

/** The bundle's folder in the cache, built first if need be. */
export async function vendorFolder(): Promise<string> {
  const pins = JSON.stringify(await packages()) +
    (await Deno.readTextFile(join(ROOT, "deno.lock")));
  const key = await sha256(`${BUILD_VERSION}\n${pins}`);
  const folder = join(ROOT, ".cache", "grading", `vendor-${key.slice(0, 16)}`);
  try {
    await Deno.stat(join(folder, "COMPLETE"));
    return folder;
  } catch {
    // not built yet
  }
  await Deno.mkdir(join(ROOT, ".cache", "grading"), { recursive: true });
  const building = await Deno.makeTempDir({
    dir: join(ROOT, ".cache", "grading"),
    prefix: "build-",
  });
  try {
    await build(building);
    await Deno.rename(building, folder).catch(async (e) => {
      // Another grader built it at the same time: theirs will do.
      if (!(await Deno.stat(join(folder, "COMPLETE")).then(() => true, () => false))) throw e;
      await Deno.remove(building, { recursive: true });
    });
  } catch (e) {
    await Deno.remove(building, { recursive: true }).catch(() => {});
    throw e;
  }
  return folder;
}

/** Bundles every package into `out/`, patches the wasm backend, copies its binaries. */
async function build(out: string): Promise<void> {
  const names = Object.keys(await packages());
  const entries = join(out, "entries");
  await Deno.mkdir(entries);
  for (const name of names) {
    const entry = join(entries, fileOf(name).replace(/\.js$/, ".ts"));
    await Deno.writeTextFile(entry, `export * from "${name}";\n`);
  }
  const args = ["bundle", "--quiet", "--code-splitting", "--platform=deno", "--format=esm"];
  const { code, stderr } = await new Deno.Command("deno", {
    args: [
      ...args,
      `--outdir=${out}`,
      ...names.map((n) => join(entries, fileOf(n).replace(/\.js$/, ".ts"))),
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `Bundling the graded runs' packages failed:\n${new TextDecoder().decode(stderr)}`,
    );
  }
  await Deno.remove(entries, { recursive: true });
  const wasmEntry = join(out, fileOf("@tensorflow/tfjs-backend-wasm"));
  const source = await Deno.readTextFile(wasmEntry);
  const found = source.split(DIRNAME).length - 1;
  if (found !== 2) {
    throw new Error(
      `${wasmEntry}: expected tfjs-backend-wasm's two \`${DIRNAME}\`, found ${found}; ` +
        `grader/vendor.ts must be updated for this version of tfjs.`,
    );
  }
  await Deno.writeTextFile(wasmEntry, source.replaceAll(DIRNAME, DIRNAME_PATCHED));
  const dist = join(ROOT, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
  for (const binary of WASM_BINARIES) await Deno.copyFile(join(dist, binary), join(out, binary));
  await Deno.writeTextFile(join(out, "COMPLETE"), "");
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
