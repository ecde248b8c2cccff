/**
 * What this machine or container gives the grader: CPUs and memory, read from
 * the Linux cgroup the grader runs in (v1 or v2), so that grading sizes itself
 * to Gradescope's container (0.5 CPU, 768 MB by default) as it does to a
 * laptop.
 *
 * `/proc/self/cgroup` names the grader's cgroup; its limits are
 * `memory.max` and `cpu.max` (v2), or `memory.limit_in_bytes` and
 * `cpu.cfs_quota_us` / `cpu.cfs_period_us` (v1). A cgroup without a limit, or
 * a system without cgroups, gives the machine's memory and CPU count.
 *
 * @example
 * ```ts
 * import { gradingDefaults, hostLimits } from "./resources.ts";
 * const limits = await hostLimits();      // { cpus: 0.5, memoryMb: 768 } in Gradescope's default container
 * gradingDefaults(limits);                // { jobs: 1, memoryMb: 668 }
 * ```
 * @module
 */

/** CPUs (may be fractional) and memory (MiB) available to the grader and its runs together. */
export interface Limits {
  cpus: number;
  memoryMb: number;
}

/**
 * Memory kept for the grader process itself: 62 MiB resident, measured in
 * Gradescope's default container, and room for the page cache and the poll's
 * lag (a run's memory is read every 100 ms).
 */
export const GRADER_RESERVE_MB = 100;
/** The most memory one run gets by default: the heaviest target test stays well below it. */
export const RUN_MEMORY_MB = 2048;

/** The limits of the cgroup this process runs in, or of the machine. */
export async function hostLimits(): Promise<Limits> {
  const machine = {
    cpus: navigator.hardwareConcurrency,
    memoryMb: Deno.systemMemoryInfo().total / 2 ** 20,
  };
  const groups = await Deno.readTextFile("/proc/self/cgroup").catch(() => "");
  const limits = parseCgroupLimits(groups, (path) => Deno.readTextFile(path).catch(() => ""));
  const { cpus, memoryMb } = await limits;
  return {
    cpus: Math.min(machine.cpus, cpus ?? Infinity),
    memoryMb: Math.min(machine.memoryMb, memoryMb ?? Infinity),
  };
}

/**
 * The CPU and memory limits in the cgroup files that `/proc/self/cgroup`'s
 * text (`groups`) points to, read with `read` (which gives "" for a missing
 * file). `undefined` for a limit that is not set.
 */
export async function parseCgroupLimits(
  groups: string,
  read: (path: string) => Promise<string>,
): Promise<{ cpus?: number; memoryMb?: number }> {
  const paths = new Map<string, string>();
  for (const line of groups.split("\n")) {
    const [, controllers, path] = line.match(/^\d+:([^:]*):(.*)$/) ?? [];
    if (path === undefined) continue;
    for (const c of controllers.split(",")) paths.set(c, path);
  }
  const number = (text: string) => {
    const n = Number(text.trim());
    return text.trim() !== "" && Number.isFinite(n) ? n : undefined;
  };
  if (paths.has("memory") || paths.has("cpu")) {
    const memory = number(
      await read(`/sys/fs/cgroup/memory${paths.get("memory")}/memory.limit_in_bytes`),
    );
    const cpuDir = `/sys/fs/cgroup/cpu${paths.get("cpu")}`;
    const quota = number(await read(`${cpuDir}/cpu.cfs_quota_us`));
    const period = number(await read(`${cpuDir}/cpu.cfs_period_us`));
    return {
      // v1 says "no limit" with a huge number (2^63 rounded to pages).
      memoryMb: memory !== undefined && memory < 2 ** 60 ? memory / 2 ** 20 : undefined,
      cpus: quota !== undefined && quota > 0 && period ? quota / period : undefined,
    };
  }
  if (paths.has("")) {
    const dir = `/sys/fs/cgroup${paths.get("")}`;
    const memory = number(await read(`${dir}/memory.max`));
    const [quota, period] = (await read(`${dir}/cpu.max`)).trim().split(/\s+/).map(number);
    return {
      memoryMb: memory === undefined ? undefined : memory / 2 ** 20,
      cpus: quota !== undefined && period ? quota / period : undefined,
    };
  }
  return {};
}

/**
 * The grader's defaults for these limits: each run's memory cap is what is
 * left after the grader's reserve (at most {@linkcode RUN_MEMORY_MB}), and as
 * many runs go at once as there are whole CPUs and caps that fit — one at a
 * time when memory is tight or there is less than 2 CPUs' worth. Each run's
 * wasm backend gets the whole CPUs left per run as threads (at least one):
 * a thread beyond the CPU quota would only cost memory (~14 MB each).
 */
export function gradingDefaults(
  limits: Limits,
): { jobs: number; memoryMb: number; threads: number } {
  const usable = Math.max(256, limits.memoryMb - GRADER_RESERVE_MB);
  const memoryMb = Math.floor(Math.min(RUN_MEMORY_MB, usable));
  const jobs = Math.max(1, Math.min(Math.floor(limits.cpus), Math.floor(usable / memoryMb)));
  return { jobs, memoryMb, threads: threadsPerRun(limits.cpus, jobs) };
}

/** The wasm threads each of `jobs` runs at once may start: the whole CPUs per run, at least one. */
export function threadsPerRun(cpus: number, jobs: number): number {
  return Math.max(1, Math.floor(cpus / jobs));
}
