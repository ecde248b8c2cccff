/**
 * Running tests on student code: a throw-away copy of the course, a `deno test`
 * process with least permissions, and limits the grader enforces from outside.
 *
 * Each run gets its own folder, built from the grader's pristine files:
 *
 *     run-N/
 *       deno.json                imports: the packages from vendor/, every other file: URL confined (below)
 *       lib/, datasets/          pristine copies: `../../lib/x.ts` never reaches the submission's
 *       vendor/                  the course's npm packages, bundled into plain modules (vendor.ts)
 *       grader/harden.ts         the preload (see harden.ts)
 *       assignments/NN-name/     the student's files + the pristine (or hidden) test file(s)
 *       scratch/                 TMPDIR; the only place it may write
 *
 * The files come from the workspace's course tree (`course/`, hard-linked),
 * which the grader builds from its checkout's lib/, datasets/ and vendor
 * bundle: no solution, no hidden test of another file, no secret is anywhere
 * in a run folder, so an escape that the defences below missed would find
 * nothing to take.
 *
 * The process may read its assignment folder (but not the test files in it),
 * lib/, datasets/, vendor/ and the data folders; write scratch/; read the
 * environment variables in {@linkcode PASSED_ENV} and no others (its
 * environment holds nothing else); and nothing more: no network, no
 * subprocesses, no FFI, no system information.
 *
 * Deno does not check read permissions for the modules of its module graph —
 * static imports, and `import()` of a literal specifier — so the module
 * specifiers themselves are confined: npm is off (`--no-npm`: a package's
 * sub-path with `..` would walk out of the package folder), remote modules are
 * off, bare names resolve only to vendor/, and the generated deno.json maps
 * every `file:` URL outside the run folder to a folder that does not exist.
 *
 * The grader, not the process, enforces a wall-clock limit and a memory cap
 * (resident memory, read from /proc every 100 ms, and V8's heap limit), and
 * kills the process when either is passed. Results come from the JUnit report
 * that Deno's test runner writes to a folder the process cannot read or write.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { vendorFolder, vendorImports } from "./vendor.ts";

/** The grader's own checkout: where the pristine files come from. */
export const COURSE_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Environment variables a graded process may read: the grader sets the first two, and passes the others on when it has them. */
export const PASSED_ENV = [
  "GRADLAB_TEST_BACKENDS",
  "GRADLAB_THREADS",
  "GRADLAB_DATA_DIR",
  "GRADLAB_CACHE_DIR",
];

/** Where data sets may be read from, besides the folders named by GRADLAB_DATA_DIR and GRADLAB_CACHE_DIR. */
const SYSTEM_DATA_DIR = "/usr/share/datasets";

/** One process to run. */
export interface RunSpec {
  /** The assignment folder name, e.g. `01-backprop`. */
  assignment: string;
  /**
   * The student's files of every assignment (assignment → path within its folder →
   * content): a later assignment imports the layers of earlier ones.
   */
  studentFiles: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>;
  /** Test files to place beside them: file name → content. */
  testFiles: ReadonlyMap<string, Uint8Array>;
  /** `test`: run one test file (optionally one test of it); `list`: list every test file's tests. */
  mode: "test" | "list";
  /** For `test`: the test file to run. */
  testFile?: string;
  /** For `test`: run only the test of exactly this name. */
  onlyTest?: string;
  /** The backends the tests must run on (passed as GRADLAB_TEST_BACKENDS). */
  backends: readonly string[];
  timeoutMs: number;
  memoryMb: number;
  /** The wasm threads the run may start (passed as GRADLAB_THREADS); default 1. */
  threads?: number;
}

/** How a run ended. */
export interface RunOutcome {
  /** The JUnit report, if Deno wrote a whole one. */
  junit?: string;
  /** Everything the process printed on stdout (capped): the listing, for `list`. */
  stdout: string;
  /** The end of what it printed on stderr. */
  stderr: string;
  code: number;
  signal: Deno.Signal | null;
  timedOut: boolean;
  memoryExceeded: boolean;
  /** Killed by something other than the grader (SIGKILL): the system's out-of-memory killer, in practice. */
  killedBySystem: boolean;
  wallMs: number;
  /** The largest resident memory seen, MiB (polled every 100 ms). */
  peakMb: number;
}

/**
 * V8's heap limit as a share of a run's memory cap. The cap is on resident
 * memory, which also holds tfjs-wasm's heap and typed arrays, neither of them
 * in V8's heap: a heap limit of the whole cap would let garbage pile up until
 * the cap kills the process, where a smaller one makes V8 collect it first.
 */
const HEAP_SHARE = 0.5;

const OUTPUT_CAP = 256 * 1024;
const JUNIT_CAP = 32 * 2 ** 20;

/** A temporary folder for one grading's runs: the course tree they are built from, and a private folder. */
export interface Workspace {
  dir: string;
  /** The course tree: lib/, datasets/, vendor/, grader/harden.ts and grader/list.ts. */
  course: string;
  runs: number;
  /** Its graded processes running now. */
  running: Set<Deno.ChildProcess>;
}

/** The course folders every run folder holds (copies of the course tree). */
const COURSE_FOLDERS = ["lib", "datasets", "vendor", "grader"];

/** Makes a workspace; remove it with {@linkcode removeWorkspace}. */
export async function createWorkspace(): Promise<Workspace> {
  await checkMemoryWatch();
  const vendor = await vendorFolder();
  const dir = await Deno.makeTempDir({ prefix: "gradlab-grade-" });
  try {
    await Deno.mkdir(join(dir, "private"));
    const course = join(dir, "course");
    for (const folder of ["lib", "datasets"]) await copyFolder(folder, course);
    await Deno.mkdir(join(course, "grader"));
    for (const file of ["grader/harden.ts", "grader/list.ts"]) {
      await Deno.copyFile(join(COURSE_ROOT, file), join(course, file));
    }
    await Deno.mkdir(join(course, "vendor"));
    for await (const entry of Deno.readDir(vendor)) {
      if (entry.isFile && entry.name !== "COMPLETE") {
        await Deno.copyFile(join(vendor, entry.name), join(course, "vendor", entry.name));
      }
    }
    const workspace = { dir, course, runs: 0, running: new Set<Deno.ChildProcess>() };
    workspaces.add(workspace);
    return workspace;
  } catch (e) {
    await Deno.remove(dir, { recursive: true });
    throw e;
  }
}

/** Ends the workspace's runs still going, and removes it. Other workspaces' runs go on. */
export async function removeWorkspace(workspace: Workspace): Promise<void> {
  for (const child of workspace.running) kill(child);
  workspaces.delete(workspace);
  await Deno.remove(workspace.dir, { recursive: true });
}

/** The workspaces in use, so that no graded process outlives the grader. */
const workspaces = new Set<Workspace>();

/** Kills every graded process still running, in every workspace (the grader is stopping). */
export function stopAllRuns(): void {
  for (const workspace of workspaces) {
    for (const child of workspace.running) kill(child);
  }
}

/** Builds a run folder for `spec` in `workspace`, runs it, and removes the folder. */
export async function runSandboxed(workspace: Workspace, spec: RunSpec): Promise<RunOutcome> {
  const n = ++workspace.runs;
  const root = join(workspace.dir, `run-${n}`);
  const junitPath = join(workspace.dir, "private", `run-${n}.xml`);
  try {
    await buildRunFolder(root, spec, workspace.course);
    return await execute(root, junitPath, spec, workspace.running);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
    await Deno.remove(junitPath).catch(() => {});
  }
}

async function buildRunFolder(root: string, spec: RunSpec, course: string): Promise<void> {
  const assignmentDir = join(root, "assignments", spec.assignment);
  await Deno.mkdir(assignmentDir, { recursive: true });
  await Deno.mkdir(join(root, "scratch"));
  for (const folder of COURSE_FOLDERS) await linkTree(join(course, folder), join(root, folder));
  await Deno.writeTextFile(join(root, "deno.json"), await confinedConfig(root));
  for (const [assignment, files] of spec.studentFiles) {
    for (const [path, bytes] of files) {
      const target = join(root, "assignments", assignment, path);
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.writeFile(target, bytes);
    }
  }
  for (const [name, bytes] of spec.testFiles) {
    await Deno.writeFile(join(assignmentDir, name), bytes);
  }
}

/** Hard-links every file of the tree `from` into `to` (copies where links cannot be made). */
async function linkTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory) await linkTree(source, target);
    else await Deno.link(source, target).catch(() => Deno.copyFile(source, target));
  }
}

/** Copies the course's `folder` (everything but tests, subfolders included) into `root`, if it exists. */
async function copyFolder(folder: string, root: string): Promise<void> {
  const from = join(COURSE_ROOT, folder);
  await Deno.mkdir(join(root, folder), { recursive: true });
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(from));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  for (const entry of entries) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) await copyFolder(path, root);
    else if (entry.isFile && !entry.name.endsWith("_test.ts")) {
      await Deno.copyFile(join(COURSE_ROOT, path), join(root, path));
    }
  }
}

/**
 * The run's deno.json: the course's packages from vendor/, and every `file:` URL
 * outside `root` mapped to a folder that does not exist.
 */
async function confinedConfig(root: string): Promise<string> {
  const course = JSON.parse(await Deno.readTextFile(join(COURSE_ROOT, "deno.json")));
  const here = new URL(`file://${root}/`).href;
  return JSON.stringify(
    {
      unstable: course.unstable ?? [],
      imports: {
        ...await vendorImports(),
        "file:///": "file:///outside-the-grading-sandbox/",
        [here]: here,
      },
    },
    null,
    2,
  );
}

/**
 * The folders a graded process may read data from. Each is granted whether or
 * not it exists, so that looking there is "not found", not "not allowed".
 */
function dataFolders(env: Record<string, string>): string[] {
  return [env.GRADLAB_DATA_DIR, env.GRADLAB_CACHE_DIR, SYSTEM_DATA_DIR].filter((dir) => dir);
}

/** The environment of a graded process: what Deno, Mesa and glibc need, and {@linkcode PASSED_ENV}. */
function childEnv(
  root: string,
  backends: readonly string[],
  threads: number,
): Record<string, string> {
  const env: Record<string, string> = {
    NO_COLOR: "1",
    TMPDIR: join(root, "scratch"),
    XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp",

    GRADLAB_TEST_BACKENDS: backends.join(","),
    GRADLAB_THREADS: String(threads),
    GRADLAB_CACHE_DIR: join(COURSE_ROOT, ".cache", "datasets"),
    // glibc serves a freed block over 128 KiB from its heap once one was freed (its mmap
    // threshold rises to 32 MiB), and keeps the memory: a test that loads a data set leaves
    // its read buffers in the process's resident memory. Pinned, they go back to the system
    // when freed: measured, CIFAR-10's load and preparation peak at 380 MB instead of 507.
    MALLOC_MMAP_THRESHOLD_: "131072",
  };
  if (Deno.build.os === "linux") {
    // WebGPU through Vulkan only: probing OpenGL loads Mesa's GL stack, whose
    // destructors can abort the process at exit (see lib/backend.ts).
    env.DENO_WEBGPU_BACKEND = Deno.env.get("DENO_WEBGPU_BACKEND") ?? "vulkan";
  }
  for (const name of ["HOME", "PATH", "DENO_DIR", ...PASSED_ENV.slice(2)]) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  return env;
}

async function execute(
  root: string,
  junitPath: string,
  spec: RunSpec,
  running: Set<Deno.ChildProcess>,
): Promise<RunOutcome> {
  const env = childEnv(root, spec.backends, spec.threads ?? 1);
  const assignmentDir = join(root, "assignments", spec.assignment);
  const testPaths = [...spec.testFiles.keys()].map((name) => join(assignmentDir, name));
  // Every assignment folder (they hold student files only, and this run's tests, denied below).
  const readable = [
    join(root, "assignments"),
    join(root, "lib"),
    join(root, "datasets"),
    join(root, "vendor"),
  ];
  const permissions = [
    "--no-prompt",
    `--allow-read=${[...readable, ...dataFolders(env)].join(",")}`,
    `--allow-env=${PASSED_ENV.join(",")}`,
  ];
  const common = ["--no-check", "--no-npm", "--no-remote", "--no-lock", ...permissions];
  const args = spec.mode === "list"
    ? ["run", ...common, "grader/list.ts", ...testPaths.map((p) => new URL(`file://${p}`).href)]
    : [
      "test",
      ...common,
      `--deny-read=${testPaths.join(",")}`,
      `--allow-write=${join(root, "scratch")}`,
      "--preload=grader/harden.ts",
      `--v8-flags=--max-old-space-size=${Math.round(spec.memoryMb * HEAP_SHARE)}`,
      `--junit-path=${junitPath}`,
      ...(spec.onlyTest === undefined ? [] : [`--filter=/^${escapeRegExp(spec.onlyTest)}$/`]),
      join("assignments", spec.assignment, spec.testFile!),
    ];
  const started = performance.now();
  const child = new Deno.Command("deno", {
    args,
    cwd: root,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  running.add(child);
  let timedOut = false;
  let memoryExceeded = false;
  let peakMb = 0;
  const timer = setTimeout(() => {
    timedOut = true;
    kill(child);
  }, spec.timeoutMs);
  const watcher = setInterval(async () => {
    const mb = await residentMb(child.pid);
    peakMb = Math.max(peakMb, mb);
    if (mb > spec.memoryMb) {
      memoryExceeded = true;
      kill(child);
    }
  }, 100);
  const [stdout, stderr, status] = await Promise.all([
    tail(child.stdout, spec.mode === "list" ? 16 * 2 ** 20 : OUTPUT_CAP),
    tail(child.stderr, OUTPUT_CAP),
    child.status,
  ]).finally(() => {
    clearTimeout(timer);
    clearInterval(watcher);
    running.delete(child);
  });
  // V8 stops the process with SIGTRAP when its heap limit is reached.
  if (status.signal === "SIGTRAP" && /Fatal (JavaScript|process) out of memory/.test(stderr)) {
    memoryExceeded = true;
  }
  return {
    junit: await readJunit(junitPath),
    stdout,
    stderr,
    code: status.code,
    signal: status.signal,
    timedOut,
    memoryExceeded,
    killedBySystem: status.signal === "SIGKILL" && !killedByGrader.has(child),
    wallMs: performance.now() - started,
    peakMb: Math.round(peakMb),
  };
}

/** The processes the grader killed: a SIGKILL to any other came from the system. */
const killedByGrader = new WeakSet<Deno.ChildProcess>();

function kill(child: Deno.ChildProcess): void {
  killedByGrader.add(child);
  try {
    child.kill("SIGKILL");
  } catch {
    // it has exited already
  }
}

/**
 * The resident memory of process `pid` in MiB, or 0 once it is gone (its /proc
 * entry vanishes, or reading it fails with "No such process", between polls).
 */
async function residentMb(pid: number): Promise<number> {
  try {
    return await readResidentMb(pid);
  } catch {
    return 0;
  }
}

async function readResidentMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? 0) / 1024;
}

/** Throws unless this process can watch others' memory: Deno lets only --allow-all read /proc. */
async function checkMemoryWatch(): Promise<void> {
  try {
    await readResidentMb(Deno.pid);
  } catch (e) {
    throw new Error(
      `The grader cannot read /proc to enforce the memory cap (${(e as Error).message}). ` +
        `Run it with --allow-all, as \`deno task grade\` does.`,
    );
  }
}

async function readJunit(path: string): Promise<string | undefined> {
  try {
    if ((await Deno.stat(path)).size > JUNIT_CAP) return undefined;
    const text = await Deno.readTextFile(path);
    return text.trimEnd().endsWith("</testsuites>") ? text : undefined;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Reads a stream to its end, keeping the last `cap` bytes, as text. */
async function tail(stream: ReadableStream<Uint8Array>, cap: number): Promise<string> {
  let kept: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    kept.push(chunk);
    size += chunk.length;
    while (size - kept[0].length > cap) size -= kept.shift()!.length;
  }
  if (size > cap) {
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of kept) (all.set(c, at), at += c.length);
    kept = [all.subarray(size - cap)];
  }
  return new TextDecoder().decode(await new Blob(kept as BlobPart[]).arrayBuffer());
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
