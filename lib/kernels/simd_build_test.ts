import { assertEquals } from "../assert.ts";
import { assembleSimd, binaryModule } from "./simd_build.ts";

Deno.test("simd_binary.ts holds simd.wat as assembled now (else: deno task build:simd)", async () => {
  const stored = await Deno.readTextFile(new URL("./simd_binary.ts", import.meta.url));
  assertEquals(stored, binaryModule(await assembleSimd()), "run `deno task build:simd`");
});

Deno.test("both binaries of simd.wat load, and import a memory of the right kind", async () => {
  const { plain, shared } = await assembleSimd();
  const kernels = [
    ...["tanh", "exp", "sigmoid", "relu", "neg", "abs", "add", "sub", "mul", "div"],
    ...[
      "transpose",
      "copy_rows",
      "add_rows",
      "zero_rows",
      "max_pool_grad",
      "sum_columns",
      "sum_rows",
    ],
  ];
  for (
    const [bytes, memory] of [
      [plain, new WebAssembly.Memory({ initial: 1 })],
      [shared, new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true })],
    ] as const
  ) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    assertEquals(Object.keys(instance.exports).sort(), [...kernels].sort(), "exported kernels");
  }
});
