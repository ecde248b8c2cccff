import { assert } from "../../lib/assert.ts";
import { useBackend } from "../../lib/backend.ts";
import { makeCharRnnStep } from "./char_rnn.ts";
import { makeCnnStep } from "./cnn.ts";
import { makeMlpStep } from "./mlp.ts";
import type { TrainingStep } from "./training_step.ts";

// Small batches: each model's loss is finite and falls on a repeated batch.
const MODELS: [string, () => TrainingStep][] = [
  ["MLP", () => makeMlpStep(16)],
  ["CNN", () => makeCnnStep(8)],
  ["char-RNN", () => makeCharRnnStep(4, 8)],
];

for (const [name, make] of MODELS) {
  Deno.test(`${name} training step gives a finite loss and lowers it`, async () => {
    await useBackend("wasm");
    const model = make();
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const loss = model.step();
      losses.push((await loss.data())[0]);
      loss.dispose();
    }
    model.dispose();
    assert(Number.isFinite(losses[0]) && losses[0] > 0, `first loss ${losses[0]}`);
    assert(losses[29] < losses[0] - 0.01, `losses ${losses[0]} → ${losses[29]}`);
  });
}
