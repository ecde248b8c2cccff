/**
 * A Gradescope autograder run on this machine: the `/autograder` tree laid out
 * in a folder of our choosing (`AUTOGRADER_ROOT`), `setup.sh` and
 * `run_autograder` run there as Gradescope runs them. The simulation test and
 * the container measurement (`measure_gradescope.ts`) use it.
 *
 * @example
 * ```ts
 * import { layOut, runAutograder, runSetup } from "./autograder_sim.ts";
 * const root = await layOut(zipBytes);          // root/source holds the zip's files
 * await runSetup(root, { GRADLAB_SETUP_OFFLINE: "1" });
 * const { code, results } = await runAutograder(root, submission);
 * ```
 * @module
 */
import { dirname, join } from "node:path";
import { readArchive } from "../grader/archive.ts";

/** Limits for reading an autograder.zip back: it holds the course, not a submission. */
const ZIP_LIMITS = { maxBytes: 2 ** 30, maxEntries: 100_000, maxDepth: 64, maxPathLength: 4096 };

/** Unzips `zip` into `<root>/source` (a new temporary root unless given), as Gradescope does. */
export async function layOut(zip: Uint8Array, root?: string): Promise<string> {
  root ??= await Deno.makeTempDir({ prefix: "gradlab-autograder-" });
  const { files } = await readArchive(zip, "autograder.zip", ZIP_LIMITS);
  for (const { path, bytes } of files) {
    const target = join(root, "source", path);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeFile(target, bytes);
  }
  for (const script of ["setup.sh", "run_autograder"]) {
    await Deno.chmod(join(root, "source", script), 0o755);
  }
  // Gradescope copies run_autograder to /autograder when it builds the image.
  await Deno.copyFile(join(root, "source", "run_autograder"), join(root, "run_autograder"));
  await Deno.chmod(join(root, "run_autograder"), 0o755);
  await Deno.mkdir(join(root, "results"), { recursive: true });
  return root;
}

/** The environment both scripts get: the tree's root, and Deno where this Deno is. */
function scriptEnv(root: string, env: Record<string, string>): Record<string, string> {
  return { AUTOGRADER_ROOT: root, DENO_BIN_DIR: dirname(Deno.execPath()), ...env };
}

/** Runs `<root>/source/setup.sh` with `env` added; returns its exit code and output. */
export async function runSetup(
  root: string,
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command("bash", {
    args: [join(root, "source", "setup.sh")],
    cwd: join(root, "source"),
    env: scriptEnv(root, env),
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, output: text(stdout) + text(stderr) };
}

/**
 * Puts `submission` (path → content) in `<root>/submission`, replacing what
 * was there, runs `<root>/run_autograder args…` (under `wrap`, a command
 * prefix such as a cgroup launcher, if given), and reads its results.json.
 */
export async function runAutograder(
  root: string,
  submission: ReadonlyMap<string, Uint8Array>,
  options: { args?: string[]; env?: Record<string, string>; wrap?: string[] } = {},
): Promise<{ code: number; output: string; results: unknown }> {
  const folder = join(root, "submission");
  await Deno.remove(folder, { recursive: true }).catch(() => {});
  for (const [path, bytes] of submission) {
    await Deno.mkdir(dirname(join(folder, path)), { recursive: true });
    await Deno.writeFile(join(folder, path), bytes);
  }
  const resultsPath = join(root, "results", "results.json");
  await Deno.remove(resultsPath).catch(() => {});
  // Run through bash, as its #! line says (so that only bash needs permission to run).
  const script = [join(root, "run_autograder"), ...(options.args ?? [])];
  const command = [...(options.wrap ?? []), "bash", ...script];
  const { code, stdout, stderr } = await new Deno.Command(command[0], {
    args: command.slice(1),
    cwd: root,
    env: scriptEnv(root, options.env ?? {}),
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const results = JSON.parse(await Deno.readTextFile(resultsPath).catch(() => "null"));
  return { code, output: text(stdout) + text(stderr), results };
}

/** The files of a folder (path → content), e.g. a reference solution to submit. */
export async function folderFiles(dir: string, prefix = ""): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      for (const [p, b] of await folderFiles(path, `${prefix}${entry.name}/`)) files.set(p, b);
    } else if (entry.isFile) files.set(`${prefix}${entry.name}`, await Deno.readFile(path));
  }
  return files;
}
