// Same seed, same backend, same kernel set ⇒ the same loss history, bit for bit.
import { assertEquals } from "../../lib/assert.ts";
import { useBackend } from "../../lib/backend.ts";
import { makeCharRnnStep } from "./char_rnn.ts";
import { makeCnnStep } from "./cnn.ts";
import { makeMlpStep } from "./mlp.ts";
import type { TrainingStep } from "./training_step.ts";
import { loadBlas } from "../../lib/kernels/blas.ts";
import { installKernels, type KernelChoice } from "../../lib/kernels/kernel_sets.ts";

const SETS: KernelChoice[] = loadBlas() ? ["portable", "native"] : ["portable"];
const MODELS: [string, () => TrainingStep][] = [
  ["MLP", () => makeMlpStep(32)],
  ["CNN", () => makeCnnStep(16)],
  ["char-RNN", () => makeCharRnnStep(8, 16)],
];

async function losses(make: () => TrainingStep): Promise<number[]> {
  const model = make();
  const history: number[] = [];
  for (let i = 0; i < 5; i++) {
    const loss = model.step();
    history.push((await loss.data())[0]);
    loss.dispose();
  }
  model.dispose();
  return history;
}

for (const kernels of SETS) {
  for (const [name, make] of MODELS) {
    Deno.test(`${name} loss history repeats bit for bit on wasm (${kernels})`, async () => {
      await useBackend("wasm");
      installKernels("wasm", kernels);
      assertEquals(await losses(make), await losses(make));
    });
  }
}
