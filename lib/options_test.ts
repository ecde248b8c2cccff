import { assertStringIncludes, assertThrows } from "./assert.ts";
import { rejectUnknownKeys } from "./options.ts";

Deno.test("rejectUnknownKeys accepts known keys, and any subset of them", () => {
  rejectUnknownKeys("train", { epochs: 5, batchSize: 10 }, ["epochs", "batchSize", "seed"]);
  rejectUnknownKeys("train", {}, ["epochs"]);
});

Deno.test("an unknown key is an error naming it, the likely intended key and the valid keys", () => {
  const e = assertThrows(
    () => rejectUnknownKeys("train", { learning_rate: 1 }, ["learningRate", "epochs"]),
    Error,
    "train: unknown option 'learning_rate' (did you mean 'learningRate'?)",
  );
  assertStringIncludes(e.message, "Valid options: learningRate, epochs.");
  assertThrows(
    () => rejectUnknownKeys("train", { epoch: 1, sed: 2 }, ["epochs", "seed"]),
    Error,
    "unknown options 'epoch', 'sed' (did you mean 'epochs'?)",
  );
});

Deno.test("a key like none of the valid ones gets no guess; a non-object is an error", () => {
  const e = assertThrows(
    () => rejectUnknownKeys("train", { colour: "red" }, ["epochs"]),
    Error,
    "unknown option 'colour'. Valid options: epochs.",
  );
  assertStringIncludes(e.message, "'colour'. Valid");
  assertThrows(() => rejectUnknownKeys("train", [1], ["epochs"]), Error, "got an array");
  assertThrows(() => rejectUnknownKeys("train", null as never, ["epochs"]), Error, "got null");
});
