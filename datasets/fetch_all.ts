/**
 * `deno task data`: finds, downloads if need be, and verifies the data sets, then reports.
 *
 *     deno task data         # what the graded tests need (exit 0 when it is all here)
 *     deno task data --all   # and the rest (MNIST, CIFAR-10's data_batch_2…5), for extensions
 *
 * Each file is looked for as `data_file.ts` describes (GRADLAB_DATA_DIR, the
 * cache, /usr/share/datasets), downloaded into the cache when it is in none of
 * them, and checked against its sha256. The report says where each data set
 * came from. If anything asked for is missing or corrupt, the full messages
 * follow and the exit code is 1.
 *
 * @module
 */
import { dirname } from "node:path";
import { parseArgs } from "../lib/cli.ts";
import { ProgressBar } from "../lib/progress.ts";
import { runScript } from "../lib/script.ts";
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from "./cifar10.ts";
import {
  CorruptDataError,
  type DataFile,
  DataNotFoundError,
  locateDataFile,
  readVerified,
} from "./data_file.ts";
import { FASHION_MNIST_FILES, MNIST_FILES } from "./mnist.ts";
import { TINY_SHAKESPEARE_FILE } from "./shakespeare.ts";

/** A data set, or part of one, and its files. */
export interface Dataset {
  name: string;
  files: readonly DataFile[];
}

/** What the graded tests of the course read: fetched by default, and checked by the grader. */
export const COURSE_DATA: readonly Dataset[] = [
  { name: "Fashion-MNIST", files: Object.values(FASHION_MNIST_FILES) },
  { name: "CIFAR-10", files: [CIFAR10_TRAIN_FILES[0], CIFAR10_TEST_FILE] },
  { name: "Tiny Shakespeare", files: [TINY_SHAKESPEARE_FILE] },
];

/** Data no graded test reads, for extensions: fetched with `--all`. */
export const EXTRA_DATA: readonly Dataset[] = [
  { name: "MNIST", files: Object.values(MNIST_FILES) },
  { name: "CIFAR-10 data_batch_2…5", files: CIFAR10_TRAIN_FILES.slice(1) },
];

/**
 * The data sets of `sets` with a file that is nowhere to be found (downloading
 * it into the cache first where the network may be reached). Cheap: files are
 * found, not read; the loaders check each sha256 when they read it.
 */
export async function missingData(sets: readonly Dataset[] = COURSE_DATA): Promise<string[]> {
  const missing: string[] = [];
  for (const { name, files } of sets) {
    for (const file of files) {
      try {
        await locateDataFile(file);
      } catch (e) {
        if (!(e instanceof DataNotFoundError)) throw e;
        missing.push(name);
        break;
      }
    }
  }
  return missing;
}

/** What became of one data set. */
export interface DatasetReport {
  name: string;
  /** the folders its verified files came from */
  folders: string[];
  /** names of its files that are missing or corrupt */
  failed: string[];
  /** the error message of each failed file */
  problems: string[];
}

/**
 * Finds, fetches and verifies every file of every data set of `sets`.
 * @returns one report per data set, in order.
 */
export async function fetchAll(sets: readonly Dataset[] = COURSE_DATA): Promise<DatasetReport[]> {
  const total = sets.reduce((n, d) => n + d.files.length, 0);
  const bar = new ProgressBar({ total, label: "data sets" });
  const reports: DatasetReport[] = [];
  let done = 0;
  for (const { name, files } of sets) {
    const report: DatasetReport = { name, folders: [], failed: [], problems: [] };
    for (const file of files) {
      bar.update(done, file.name);
      try {
        const located = await locateDataFile(file);
        await readVerified(file, located);
        const folder = dirname(located.paths[0]);
        if (!report.folders.includes(folder)) report.folders.push(folder);
      } catch (e) {
        if (!(e instanceof DataNotFoundError || e instanceof CorruptDataError)) throw e;
        report.failed.push(file.name);
        report.problems.push(e.message);
      }
      bar.update(++done, file.name);
    }
    reports.push(report);
  }
  bar.finish();
  return reports;
}

/** The report as text: one line per data set. */
export function formatReport(reports: readonly DatasetReport[]): string {
  const width = Math.max("Synthetic".length, ...reports.map((r) => r.name.length));
  const lines = reports.map((r) => {
    const from = r.folders.length > 0 ? `from ${r.folders.join(", ")}` : "";
    return r.failed.length === 0
      ? `${r.name.padEnd(width)}  ok       ${from}`
      : `${r.name.padEnd(width)}  MISSING  ${r.failed.join(", ")}${
        from ? `; the rest ${from}` : ""
      }`;
  });
  lines.push(`${"Synthetic".padEnd(width)}  ok       spiral, blobs and fruit.csv are built in`);
  return lines.join("\n");
}

const USAGE = `usage: deno task data [--all]

Finds, downloads if need be, and checks the data sets the graded tests read
(Fashion-MNIST, CIFAR-10's data_batch_1 and test batch, Tiny Shakespeare);
with --all, also MNIST and CIFAR-10's data_batch_2…5.`;

if (import.meta.main) {
  await runScript(USAGE, async (args) => {
    const flags = parseArgs(args, { boolean: ["all"] });
    const reports = await fetchAll(flags.all ? [...COURSE_DATA, ...EXTRA_DATA] : COURSE_DATA);
    console.log(formatReport(reports));
    const failed = reports.filter((r) => r.failed.length > 0);
    for (const report of failed) console.error(`\n${report.problems[0]}`);
    return failed.length > 0 ? 1 : 0;
  });
}
