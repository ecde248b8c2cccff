/**
 * Tabular data from a CSV file: numeric feature columns and one class-label column.
 *
 * The first row names the columns. Every column but the label must hold
 * numbers; the label column holds class names (any text), which become ids
 * 0…K−1 in sorted order of the names.
 *
 * @example
 * ```ts
 * import { loadCsv } from "./tabular.ts";
 * const data = await loadCsv("datasets/fruit.csv", { label: "fruit" });
 * data.featureNames; // ["mass_g", "width_cm", "height_cm", "hue_deg"]
 * data.classNames;   // ["apple", "lemon", "orange"]
 * data.x;            // Float32Array, count×4, row-major
 * ```
 * @module
 */
import { parse } from "../lib/csv.ts";

/** A table of numeric features with a class label per row. */
export interface TabularData {
  /** the feature columns' names, in file order */
  featureNames: string[];
  /** the distinct labels, sorted; a row's id indexes this */
  classNames: string[];
  /** features, `count` rows × featureNames.length, row-major, float32 */
  x: Float32Array;
  /** class id of each row, 0…classNames.length−1 */
  y: Int32Array;
  /** number of rows */
  count: number;
}

/**
 * Reads a CSV file of numeric features and a label column.
 *
 * @param path the CSV file; its first row names the columns.
 * @param options.label the name of the label column.
 * @throws Error naming the file when it has no rows, has no column `label`,
 *   or a feature value is not a number (with its row and column).
 */
export async function loadCsv(path: string, options: { label: string }): Promise<TabularData> {
  return parseCsvTable(await Deno.readTextFile(path), options.label, path);
}

/** {@linkcode loadCsv} for CSV text already in memory; `source` names it in errors. */
export function parseCsvTable(text: string, label: string, source: string): TabularData {
  let rows;
  try {
    rows = parse(text, { skipFirstRow: true });
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new Error(`${source}: no data rows below the header.`);
  const columns = Object.keys(rows[0]);
  if (!columns.includes(label)) {
    throw new Error(
      `${source}: no label column '${label}'; the columns are ${columns.join(", ")}.`,
    );
  }
  const featureNames = columns.filter((c) => c !== label);
  const classNames = [...new Set(rows.map((r) => r[label]))].sort();
  const x = new Float32Array(rows.length * featureNames.length);
  const y = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    featureNames.forEach((name, j) => {
      const value = Number(row[name]);
      if (row[name].trim() === "" || !Number.isFinite(value)) {
        // row i + 2: line 1 is the header, and people count lines from 1
        throw new Error(
          `${source}, line ${i + 2}, column '${name}': ${
            JSON.stringify(row[name])
          } is not a number.`,
        );
      }
      x[i * featureNames.length + j] = value;
    });
    y[i] = classNames.indexOf(row[label]);
  });
  return { featureNames, classNames, x, y, count: rows.length };
}
