import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../lib/assert.ts";
import { COURSE_DATA, EXTRA_DATA, fetchAll, formatReport, missingData } from "./fetch_all.ts";
import { withEnv } from "./test_helpers.ts";

Deno.test("formatReport gives one line per data set, saying where it came from or what is missing", () => {
  const text = formatReport([
    { name: "MNIST", folders: ["/data/mnist"], failed: [], problems: [] },
    { name: "CIFAR-10", folders: ["/data/cifar10"], failed: ["data_batch_2.bin"], problems: ["…"] },
  ]);
  assertEquals(text.split("\n"), [
    "MNIST      ok       from /data/mnist",
    "CIFAR-10   MISSING  data_batch_2.bin; the rest from /data/cifar10",
    "Synthetic  ok       spiral, blobs and fruit.csv are built in",
  ]);
});

Deno.test("fetchAll reports every missing file with the not-found message", async () => {
  const empty = await Deno.makeTempDir();
  try {
    await withEnv({
      GRADLAB_DATA_DIR: join(empty, "data"),
      GRADLAB_CACHE_DIR: join(empty, "cache"),
    }, async () => {
      const sets = [...COURSE_DATA, ...EXTRA_DATA];
      const reports = await fetchAll(sets);
      assertEquals(reports.map((r) => r.name), sets.map((d) => d.name));
      for (const report of reports) {
        // Fashion-MNIST may be installed system-wide; the others are nowhere here.
        if (report.failed.length === 0) continue;
        assertEquals(report.problems.length, report.failed.length);
        assertStringIncludes(report.problems[0], `${report.failed[0]} was not found`);
        assertStringIncludes(report.problems[0], "deno task data");
      }
      assertEquals(reports.find((r) => r.name === "MNIST")!.failed.length, 4);
    });
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("missingData names the course's data sets that are nowhere, without reading any", async () => {
  const empty = await Deno.makeTempDir();
  try {
    await withEnv({
      GRADLAB_DATA_DIR: join(empty, "data"),
      GRADLAB_CACHE_DIR: join(empty, "cache"),
    }, async () => {
      const missing = await missingData();
      // Fashion-MNIST may be installed system-wide; the others are nowhere here.
      assertEquals(
        missing.filter((name) => name !== "Fashion-MNIST"),
        ["CIFAR-10", "Tiny Shakespeare"],
        "the missing course data sets",
      );
    });
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
