/**
 * `deno task data`: finds, downloads if need be, and verifies every data set, then reports.
 *
 * Each file is looked for as `data_file.ts` describes (GRADLAB_DATA_DIR, the
 * cache, /usr/share/datasets), downloaded into the cache when it is in none of
 * them, and checked against its sha256. The report says where each data set
 * came from. If anything is missing or corrupt, the full messages follow and
 * the exit code is 1.
 *
 * @example
 * ```sh
 * deno task data                                   # everything, downloading what is missing
 * GRADLAB_DATA_DIR=../shared/datasets deno task data
 * ```
 * @module
 */
import { dirname } from "node:path";
import { ProgressBar } from "../lib/progress.ts";
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

/** Every downloadable data set and its files. */
export const DATASETS: readonly { name: string; files: readonly DataFile[] }[] = [
  { name: "MNIST", files: Object.values(MNIST_FILES) },
  { name: "Fashion-MNIST", files: Object.values(FASHION_MNIST_FILES) },
  { name: "CIFAR-10", files: [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE] },
  { name: "Tiny Shakespeare", files: [TINY_SHAKESPEARE_FILE] },
];

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
 * Finds, fetches and verifies every file of every data set in {@linkcode DATASETS}.
 * @returns one report per data set, in order.
 */
export async function fetchAll(): Promise<DatasetReport[]> {
  const total = DATASETS.reduce((n, d) => n + d.files.length, 0);
  const bar = new ProgressBar({ total, label: "data sets" });
  const reports: DatasetReport[] = [];
  let done = 0;
  for (const { name, files } of DATASETS) {
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

if (import.meta.main) {
  const reports = await fetchAll();
  console.log(formatReport(reports));
  const failed = reports.filter((r) => r.failed.length > 0);
  for (const report of failed) console.error(`\n${report.problems[0]}`);
  if (failed.length > 0) Deno.exit(1);
}
