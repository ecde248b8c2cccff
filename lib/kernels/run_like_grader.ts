/**
 * Test helper: run a module, given as source text, in a fresh `deno run` with
 * the permissions of a graded run (grader/sandbox.ts): read lib/ and the
 * packages, read a few environment variables, nothing else: no FFI, no
 * system information, no subprocess, no network.
 *
 * Some things can only be tested in a process of their own: how many threads
 * tfjs-wasm starts is fixed when it starts, and whether a process exits by
 * itself shows only when it ends.
 *
 * @example
 * ```ts
 * import { runLikeGrader } from "./run_like_grader.ts";
 * const backend = new URL("../backend.ts", import.meta.url).href;
 * const run = await runLikeGrader(
 *   `import { setupBackend } from "${backend}"; console.log((await setupBackend("wasm")).backend);`,
 *   { GRADLAB_THREADS: "2" },
 * );
 * console.log(run.code, run.stdout); // 0 "wasm\n"
 * ```
 * @module
 */

/** Environment variables the module may read (the grader passes the first three). */
export const CHILD_ENV = [
  "GRADLAB_TEST_BACKENDS",
  "GRADLAB_DATA_DIR",
  "GRADLAB_CACHE_DIR",
  "GRADLAB_THREADS",
  "GRADLAB_KERNELS",
];

/** How a child run ended. */
export interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Whether it was killed for running longer than the time allowed. */
  timedOut: boolean;
}

const ROOT = new URL("../../", import.meta.url);

/**
 * Runs `source` as a module (imports by absolute URL; bare ones resolve through
 * the course's deno.json) with `env`, and returns its exit and output.
 *
 * @param readable the folders it may read: lib/ and node_modules unless given.
 * @param timeoutMs how long it may run before it is killed.
 */
export async function runLikeGrader(
  source: string,
  env: Record<string, string>,
  { readable, timeoutMs = 120_000 }: { readable?: string[]; timeoutMs?: number } = {},
): Promise<ChildRun> {
  const folders = readable ?? [
    new URL("lib/", ROOT).pathname,
    await Deno.realPath(new URL("node_modules", ROOT)),
  ];
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      `--config=${new URL("deno.json", ROOT).pathname}`,
      `--allow-read=${folders.join(",")}`,
      `--allow-env=${CHILD_ENV.join(",")}`,
      "-",
    ],
    cwd: ROOT.pathname,
    env: { ...passedThrough(), NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr), timedOut };
}

/** What the grader hands its child besides the course's variables: where Deno lives and caches. */
function passedThrough(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["HOME", "PATH", "DENO_DIR", "XDG_RUNTIME_DIR"]) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  return env;
}
