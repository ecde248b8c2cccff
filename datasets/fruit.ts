/**
 * Fruit: a small CSV table (180 rows) for a first look at tabular data.
 *
 * Each row is one apple, orange or lemon: its mass in grams, width and
 * height in centimetres, and hue in degrees (0 red, 60 yellow, 120 green).
 * The columns differ in scale by a factor of 20, which is the point: try a
 * classifier on it with and without standardising the features.
 *
 * The data is made up — drawn from the Gaussians in {@linkcode FRUIT_CLASSES}
 * with a fixed seed — and shipped as `datasets/fruit.csv`. To remake the file:
 * `deno run --allow-write=datasets/fruit.csv datasets/fruit.ts`.
 *
 * @example
 * ```ts
 * import { loadFruit } from "./fruit.ts";
 * const fruit = await loadFruit();
 * fruit.count;        // 180
 * fruit.classNames;   // ["apple", "lemon", "orange"]
 * fruit.featureNames; // ["mass_g", "width_cm", "height_cm", "hue_deg"]
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import { stringify } from "../lib/csv.ts";
import { Rng } from "../lib/random.ts";
import { loadCsv, type TabularData } from "./tabular.ts";

/** The CSV file in the repository. */
export const FRUIT_CSV: string = fileURLToPath(new URL("fruit.csv", import.meta.url));

/** Each class's mean and standard deviation per feature: [mean, std] of mass_g, width_cm, height_cm, hue_deg. */
export const FRUIT_CLASSES: Record<string, [number, number][]> = {
  apple: [[165, 25], [7.4, 0.5], [7.1, 0.5], [30, 10]],
  orange: [[190, 30], [7.7, 0.6], [7.5, 0.6], [35, 5]],
  lemon: [[120, 20], [6.2, 0.4], [8.1, 0.6], [55, 5]],
};

const FEATURES = ["mass_g", "width_cm", "height_cm", "hue_deg"];
const ROWS_PER_CLASS = 60;

/** Loads `datasets/fruit.csv`: 180 rows, 4 float32 features, labels apple / lemon / orange. */
export function loadFruit(): Promise<TabularData> {
  return loadCsv(FRUIT_CSV, { label: "fruit" });
}

/**
 * The text of `fruit.csv`: 60 rows of each class drawn from {@linkcode FRUIT_CLASSES}
 * with seed 2024, shuffled; mass and hue rounded to integers, sizes to 0.1 cm.
 */
export function generateFruitCsv(): string {
  const rng = new Rng(2024);
  const rows: (string | number)[][] = [];
  for (const [fruit, features] of Object.entries(FRUIT_CLASSES)) {
    for (let i = 0; i < ROWS_PER_CLASS; i++) {
      const [mass, width, height, hue] = features.map(([mean, std]) => rng.normal(mean, std));
      rows.push([Math.round(mass), width.toFixed(1), height.toFixed(1), Math.round(hue), fruit]);
    }
  }
  return stringify(rng.shuffle(rows), { columns: [...FEATURES, "fruit"] });
}

if (import.meta.main) await Deno.writeTextFile(FRUIT_CSV, generateFruitCsv());
