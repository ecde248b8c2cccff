import { assertEquals } from "../lib/assert.ts";
import { gradingDefaults, hostLimits, parseCgroupLimits, threadsPerRun } from "./resources.ts";

/** A fake /sys/fs/cgroup: path → content. */
const files = (entries: Record<string, string>) => (path: string) =>
  Promise.resolve(entries[path] ?? "");

Deno.test("cgroup v1: Gradescope's default container is 0.5 CPU and 768 MiB", async () => {
  const groups = "12:memory:/gs\n11:cpu,cpuacct:/gs\n1:name=systemd:/\n";
  assertEquals(
    await parseCgroupLimits(
      groups,
      files({
        "/sys/fs/cgroup/memory/gs/memory.limit_in_bytes": "805306368\n",
        "/sys/fs/cgroup/cpu/gs/cpu.cfs_quota_us": "50000\n",
        "/sys/fs/cgroup/cpu/gs/cpu.cfs_period_us": "100000\n",
      }),
    ),
    { cpus: 0.5, memoryMb: 768 },
    "limits read from the v1 files",
  );
  assertEquals(
    await parseCgroupLimits(
      groups,
      files({
        "/sys/fs/cgroup/memory/gs/memory.limit_in_bytes": "9223372036854771712",
        "/sys/fs/cgroup/cpu/gs/cpu.cfs_quota_us": "-1",
        "/sys/fs/cgroup/cpu/gs/cpu.cfs_period_us": "100000",
      }),
    ),
    { cpus: undefined, memoryMb: undefined },
    "v1's way of saying no limit",
  );
});

Deno.test("cgroup v2: memory.max and cpu.max, or max for no limit", async () => {
  assertEquals(
    await parseCgroupLimits(
      "0::/job\n",
      files({
        "/sys/fs/cgroup/job/memory.max": "1610612736\n",
        "/sys/fs/cgroup/job/cpu.max": "150000 100000\n",
      }),
    ),
    { cpus: 1.5, memoryMb: 1536 },
    "limits read from the v2 files",
  );
  assertEquals(
    await parseCgroupLimits(
      "0::/\n",
      files({ "/sys/fs/cgroup/memory.max": "max\n", "/sys/fs/cgroup/cpu.max": "max 100000\n" }),
    ),
    { cpus: undefined, memoryMb: undefined },
    "no limit",
  );
  assertEquals(await parseCgroupLimits("", files({})), {}, "no cgroups at all");
});

Deno.test("the defaults run one at a time in 768 MB, and two on a 2-core machine with memory", () => {
  assertEquals(gradingDefaults({ cpus: 0.5, memoryMb: 768 }), {
    jobs: 1,
    memoryMb: 668,
    threads: 1,
  });
  assertEquals(gradingDefaults({ cpus: 2, memoryMb: 1536 }), {
    jobs: 1,
    memoryMb: 1436,
    threads: 2,
  });
  assertEquals(gradingDefaults({ cpus: 2, memoryMb: 24_000 }), {
    jobs: 2,
    memoryMb: 2048,
    threads: 1,
  });
  assertEquals(gradingDefaults({ cpus: 16, memoryMb: 8192 }), {
    jobs: 3,
    memoryMb: 2048,
    threads: 5,
  });
  assertEquals(threadsPerRun(1.5, 2), 1);
});

Deno.test("this machine's limits are positive and no larger than the machine", async () => {
  const { cpus, memoryMb } = await hostLimits();
  assertEquals(cpus > 0 && cpus <= navigator.hardwareConcurrency, true, `cpus ${cpus}`);
  assertEquals(memoryMb > 0, true, `memory ${memoryMb} MiB`);
});
