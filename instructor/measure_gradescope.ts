/**
 * `deno task measure:gradescope`: grades the reference solutions with each
 * assignment's real autograder, in a container the size of a Gradescope
 * setting, and reports the time and memory it took.
 *
 *     deno task measure:gradescope                              # every assignment, 0.5 CPU / 768 MB / 10 min
 *     deno task measure:gradescope --assignment 05-cnn --cpus 2 --memory 3072 --minutes 20 --write
 *     deno task measure:gradescope --submission starter         # the starter instead of the solutions
 *     deno task measure:gradescope --patience 60                # a loaded machine: wait up to 60 min
 *     deno task measure:gradescope --isolate targets_test.ts    # each test of that file in its own process
 *
 * The container is a Linux cgroup (v1, as these machines have; run as root)
 * with the CPU quota and memory limit of the setting, entered by
 * `run_autograder` and everything it starts. The GPU drivers are hidden from
 * it (a private mount namespace with empty Vulkan and EGL driver folders), as
 * Gradescope's image has none: without them tfjs has no WebGPU adapter, as
 * there. Data comes from this machine's data folders (GRADLAB_DATA_DIR).
 *
 * Reported, per assignment: the score; wall-clock seconds; CPU seconds
 * (user + sys, from the cgroup: what load does not distort — at a quota of
 * c CPUs the wall time on an idle machine is about CPU seconds / c); the
 * container's peak memory (the cgroup's, page cache included) and the largest
 * test process's (resident); kills by the out-of-memory killer; the load
 * average before and after. On a machine shared with other work the cgroup
 * gets less than its quota, so the wall time stretches: `--patience N` lets
 * the grading run up to N minutes (the CPU seconds do not change). `--write` records the setting and the numbers in
 * instructor/gradescope.json, which the bundle reads to write each
 * autograder's run_autograder and README.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FlagError, parseArgs } from "../lib/cli.ts";
import { runScript } from "../lib/script.ts";
import { writeZip } from "../grader/archive.ts";
import type { GradescopeResults } from "../grader/results.ts";
import { folderFiles, layOut, runAutograder, runSetup } from "./autograder_sim.ts";
import {
  type AssignmentSetting,
  GRADESCOPE_DEFAULT,
  type GradescopeSetting,
  type Measurement,
  planAutograder,
  readSettings,
} from "./gradescope.ts";
import { assignmentFolders } from "./release.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CGROUP = "/sys/fs/cgroup";
/** Driver folders hidden from the container: Mesa's Vulkan and EGL drivers. */
const GPU_DRIVER_DIRS = ["/usr/share/vulkan/icd.d", "/usr/share/glvnd/egl_vendor.d"];

/** Makes cgroup `name` (cpu, cpuacct, memory controllers) with `setting`'s limits, counters at 0. */
async function makeCgroup(name: string, setting: GradescopeSetting): Promise<void> {
  const write = (path: string, value: string) => Deno.writeTextFile(join(CGROUP, path), value);
  for (const controller of ["cpu", "cpuacct", "memory"]) {
    await Deno.mkdir(join(CGROUP, controller, name), { recursive: true });
  }
  await write(`cpu/${name}/cpu.cfs_period_us`, "100000");
  await write(`cpu/${name}/cpu.cfs_quota_us`, String(Math.round(setting.cpus * 100000)));
  await write(`memory/${name}/memory.limit_in_bytes`, `${setting.memoryMb}M`);
  await write(`memory/${name}/memory.max_usage_in_bytes`, "0");
  await write(`cpuacct/${name}/cpuacct.usage`, "0");
}

/** The counters of cgroup `name`: CPU seconds, peak memory MiB, out-of-memory kills. */
async function readCgroup(name: string) {
  const read = (path: string) => Deno.readTextFile(join(CGROUP, path));
  const oom = (await read(`memory/${name}/memory.oom_control`)).match(/oom_kill (\d+)/)?.[1];
  return {
    cpuSeconds: Number(await read(`cpuacct/${name}/cpuacct.usage`)) / 1e9,
    peakMb: Number(await read(`memory/${name}/memory.max_usage_in_bytes`)) / 2 ** 20,
    oomKills: Number(oom ?? 0),
  };
}

/** Removes cgroup `name` (its processes have ended). */
async function removeCgroup(name: string): Promise<void> {
  for (const controller of ["cpu", "cpuacct", "memory"]) {
    await Deno.remove(join(CGROUP, controller, name)).catch(() => {});
  }
}

/** The command prefix that runs a command inside cgroup `name`, with the GPU drivers hidden. */
function inContainer(name: string): string[] {
  const enter = ["cpu", "cpuacct", "memory"]
    .map((c) => `echo $$ > ${join(CGROUP, c, name, "cgroup.procs")}`).join(" && ");
  const hide = GPU_DRIVER_DIRS.map((d) => `{ [ ! -d ${d} ] || mount -t tmpfs none ${d}; }`)
    .join(" && ");
  return [
    "unshare",
    "--mount",
    "--",
    "bash",
    "-c",
    `${hide} && ${enter} && exec "$@"`,
    "container",
  ];
}

async function loadAverage(): Promise<string> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
}

/** Grades `submission` with `assignment`'s autograder in a container of `setting`; returns the numbers. */
export async function measure(
  assignment: string,
  entry: AssignmentSetting,
  submission: Map<string, Uint8Array>,
  hidden?: string,
  patienceMinutes?: number,
): Promise<{ measurement: Measurement; oomKills: number; results: GradescopeResults }> {
  const { setting } = entry;
  const root = await layOut(await writeZip(await planAutograder(assignment, entry, hidden)));
  try {
    const setup = await runSetup(root, { GRADLAB_SETUP_OFFLINE: "1" });
    if (setup.code !== 0) throw new Error(`setup.sh failed:\n${setup.output}`);
    const name = `gradlab-measure-${Deno.pid}`;
    await makeCgroup(name, setting);
    const loadBefore = await loadAverage();
    const started = performance.now();
    // One run may take all the time (what each run takes is what is measured); on a loaded
    // machine `patienceMinutes` lets the grading run past the setting's limit.
    const limit = Math.max(setting.timeoutMinutes, patienceMinutes ?? 0) * 60 - 30;
    const { output, results } = await runAutograder(root, submission, {
      wrap: inContainer(name),
      args: [`--timeout=${limit}`, `--deadline=${limit}`],
    });
    const seconds = (performance.now() - started) / 1000;
    const counters = await readCgroup(name);
    const graded = results as GradescopeResults;
    if (!graded?.tests) throw new Error(`run_autograder wrote no results:\n${output}`);
    const runs = graded.extra_data?.runs ?? [];
    return {
      measurement: {
        seconds: Math.round(seconds),
        cpuSeconds: Math.round(counters.cpuSeconds),
        containerPeakMb: Math.round(counters.peakMb),
        runPeakMb: Math.max(0, ...runs.map((r) => r.peakMb)),
        longestRunSeconds: Math.round(Math.max(0, ...runs.map((r) => r.seconds))),
        score: graded.score,
        maxScore: graded.tests.reduce((n, t) => n + t.max_score, 0),
        date: new Date().toISOString().slice(0, 10),
        load: `${loadBefore} → ${await loadAverage()}`,
      },
      oomKills: counters.oomKills,
      results: graded,
    };
  } finally {
    await removeCgroup(`gradlab-measure-${Deno.pid}`);
    await Deno.remove(root, { recursive: true });
  }
}

const USAGE = `usage: deno task measure:gradescope [flags]   (as root: it makes a cgroup)

Grades the reference solutions with each assignment's real autograder in a
container the size of a Gradescope setting, and reports time and memory.

  --assignment NN-name[,…]  the assignments to measure (default: all)
  --cpus N --memory MB --minutes N   the setting (default 0.5, 768, 10)
  --submission starter      grade the starter instead of the solutions
  --patience N              a loaded machine: let the grading run up to N minutes
  --isolate FILE[,…]        run each test of these files in a process of its own
  --hidden DIR              the hidden tests to put in the autograder
  --write                   record the setting and the numbers in instructor/gradescope.json`;

/** A flag that must be a positive number, or a FlagError naming it. */
function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new FlagError(`--${name} must be a positive number, got "${value}".`);
  return n;
}

async function main(args: string[]): Promise<void> {
  const flags = parseArgs(args, {
    string: [
      "assignment",
      "cpus",
      "memory",
      "minutes",
      "patience",
      "isolate",
      "submission",
      "hidden",
    ],
    boolean: ["write"],
    default: { submission: "solutions" },
  });
  if (flags.submission !== "solutions" && flags.submission !== "starter") {
    throw new FlagError(`--submission is "solutions" or "starter", got "${flags.submission}".`);
  }
  const setting: GradescopeSetting = {
    cpus: positive("cpus", flags.cpus, GRADESCOPE_DEFAULT.cpus),
    memoryMb: positive("memory", flags.memory, GRADESCOPE_DEFAULT.memoryMb),
    timeoutMinutes: positive("minutes", flags.minutes, GRADESCOPE_DEFAULT.timeoutMinutes),
  };
  const assignments = flags.assignment?.split(",") ?? await assignmentFolders();
  const settings = await readSettings();
  // A student's whole assignments/ folder: a later assignment imports earlier ones' layers.
  const from = flags.submission === "starter" ? "assignments" : "solutions";
  const submission = new Map<string, Uint8Array>();
  for (const name of await assignmentFolders()) {
    const files = await folderFiles(join(ROOT, from, name), `assignments/${name}/`);
    for (const [path, bytes] of files) {
      if (!path.endsWith("_test.ts") && !path.endsWith("/mutants.ts")) submission.set(path, bytes);
    }
  }
  for (const assignment of assignments) {
    const isolate = flags.isolate?.split(",") ?? settings[assignment]?.isolate;
    const { measurement: m, oomKills, results } = await measure(
      assignment,
      { setting, ...(isolate ? { isolate } : {}) },
      submission,
      flags.hidden,
      flags.patience ? positive("patience", flags.patience, 0) : undefined,
    );
    const failing = results.tests.filter((t) => t.status !== "passed");
    console.log(
      `| ${assignment} | ${setting.cpus} CPU, ${setting.memoryMb} MB, ${setting.timeoutMinutes} min | ` +
        `${m.score}/${m.maxScore} | ${m.seconds} s | ${m.cpuSeconds} s | ${m.containerPeakMb} MiB | ` +
        `${m.runPeakMb} MiB | ${m.longestRunSeconds} s | ${oomKills} | ${m.load} |`,
    );
    for (const t of failing) console.log(`    ${t.name}: ${t.output.split("\n")[0]}`);
    for (const run of results.extra_data?.runs ?? []) {
      console.log(
        `    run ${run.file}${run.test ? ` (${run.test})` : ""}: ${run.seconds} s, ` +
          `${run.peakMb} MiB, ${run.ended}`,
      );
    }
    if (flags.write && flags.submission === "solutions") {
      // A file that ran out of memory as a whole, and whose tests then passed one at a time.
      const runs = results.extra_data?.runs ?? [];
      const split = [
        ...new Set(runs.filter((r) => !r.test && r.ended === "out of memory").map((r) => r.file)),
      ].filter((file) => runs.some((r) => r.file === file && r.test && r.ended === "ok"));
      const isolated = [...new Set([...(isolate ?? []), ...split])];
      settings[assignment] = {
        ...settings[assignment],
        setting,
        measured: m,
        ...(isolated.length ? { isolate: isolated } : {}),
      };
      await Deno.writeTextFile(
        join(ROOT, "instructor", "gradescope.json"),
        JSON.stringify(settings, null, 2) + "\n",
      );
    }
  }
}

if (import.meta.main) await runScript(USAGE, main);
