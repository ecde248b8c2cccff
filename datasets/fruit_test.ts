import { assertEquals } from "../lib/assert.ts";
import { classCounts } from "./image_dataset.ts";
import { FRUIT_CSV, generateFruitCsv, loadFruit } from "./fruit.ts";

Deno.test("fruit.csv is exactly what generateFruitCsv makes", async () => {
  assertEquals(await Deno.readTextFile(FRUIT_CSV), generateFruitCsv());
});

Deno.test("loadFruit gives 180 rows of 4 features, 60 of each fruit", async () => {
  const fruit = await loadFruit();
  assertEquals(fruit.count, 180);
  assertEquals(fruit.featureNames, ["mass_g", "width_cm", "height_cm", "hue_deg"]);
  assertEquals(fruit.classNames, ["apple", "lemon", "orange"]);
  assertEquals(fruit.x.length, 180 * 4);
  assertEquals(classCounts(fruit.y, 3), [60, 60, 60]);
});
