import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./assert.ts";
import {
  backendFlag,
  describeBackend,
  isAvailable,
  MissingKernelError,
  setupBackend,
  useBackend,
} from "./backend.ts";

Deno.test("setupBackend uses the backend it is given and says so", async () => {
  const info = await setupBackend("wasm");
  assertEquals(info.backend, "wasm");
  assertEquals(tf.getBackend(), "wasm");
  assertEquals(info.reason, "asked for by setupBackend()");
  assertStringIncludes(describeBackend(info), "wasm (asked for by setupBackend())");
});

Deno.test("auto picks WebGPU only on a hardware adapter", async () => {
  const info = await setupBackend("auto");
  if (info.adapter && !info.software) assertEquals(info.backend, "webgpu");
  else assertEquals(info.backend, "wasm");
  assertStringIncludes(info.reason, "auto");
});

Deno.test("an unknown backend name is an error listing the choices", async () => {
  await assertRejects(
    () => setupBackend("tpu" as "wasm"),
    Error,
    "Unknown backend 'tpu' (from setupBackend()): choose one of auto, webgpu, wasm, cpu.",
  );
});

Deno.test("backendFlag reads --backend=NAME and --backend NAME", () => {
  assertEquals(backendFlag(["--epochs", "3", "--backend=cpu"]), "cpu");
  assertEquals(backendFlag(["--backend", "webgpu"]), "webgpu");
  assertEquals(backendFlag(["--backend"]), "");
  assertEquals(backendFlag(["x"]), undefined);
});

Deno.test("synchronous reads are refused with a message naming the async call", async () => {
  await useBackend("wasm");
  const t = tf.ones([2]);
  assertThrows(() => t.dataSync(), Error, "Use await t.data()");
  assertThrows(() => t.arraySync(), Error, "Use await t.array()");
  assertEquals(Array.from(await t.data()), [1, 1]);
});

Deno.test("a kernel missing on the backend fails with MissingKernelError naming both", async () => {
  await useBackend("wasm");
  const error = assertThrows(
    () => tf.einsum("ij,jk->ik", tf.ones([2, 2]), tf.ones([2, 2])),
    MissingKernelError,
    "Kernel 'Einsum' does not exist on the 'wasm' backend",
  );
  assertEquals([error.kernel, error.backend], ["Einsum", "wasm"]);
});

Deno.test({
  name: "webgpu runs every op on the GPU (no silent CPU forwarding) and reports its adapter",
  ignore: !(await isAvailable("webgpu")),
  fn: async () => {
    const info = await setupBackend("webgpu");
    assert(info.adapter, "a WebGPU adapter has a description");
    assertEquals(tf.env().getBool("WEBGPU_CPU_FORWARD"), false);
    const small = tf.exp(tf.ones([3]));
    // deno-lint-ignore no-explicit-any
    const stored = (tf.engine().backend as any).tensorMap.get(small.dataId);
    assert(stored.resource, "a 3-element op ran on the GPU, not forwarded to the CPU");
    assertEquals(Array.from(await small.data()).map((v) => +v.toFixed(4)), [
      2.7183,
      2.7183,
      2.7183,
    ]);
    await useBackend("wasm");
  },
});

Deno.test({
  name:
    "WebGPU on Linux probes Vulkan only: Mesa's GL stack, whose destructors abort at exit, stays unloaded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    // A fresh process, as a test run is; only --allow-all may read /proc/self/maps.
    const probe = `import { isAvailable } from "${new URL("./backend.ts", import.meta.url)}";
      if (await isAvailable("webgpu")) {
        const maps = await Deno.readTextFile("/proc/self/maps");
        console.log(maps.split("\\n").filter((l) => /lib(EGL|GLdispatch|GLX)/.test(l)).length);
      }`;
    const env = { ...Deno.env.toObject() };
    delete env.DENO_WEBGPU_BACKEND;
    const { stdout } = await new Deno.Command("deno", {
      args: ["eval", "-A", "--ext=ts", probe],
      env,
      clearEnv: true,
    }).output();
    const loaded = new TextDecoder().decode(stdout).trim();
    assert(loaded === "" || loaded === "0", `${loaded} mappings of OpenGL libraries`);
  },
});
