import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { BLAS_FFI_FLAG, BLAS_PATHS, blasAllowed, loadBlas } from "./blas.ts";

const blas = loadBlas();

Deno.test({
  name: "sgemm multiplies small matrices, with and without transposes",
  ignore: blas === undefined, // needs --allow-ffi and a BLAS library
  fn: () => {
    const c = new Float32Array(4);
    blas!.sgemm(false, false, 2, 2, 1, Float32Array.of(1, 2), Float32Array.of(3, 4), c);
    assertEquals(Array.from(c), [3, 4, 6, 8]);
    const a = Float32Array.of(1, 2, 3, 4); // [[1, 2], [3, 4]]
    blas!.sgemm(true, false, 2, 2, 2, a, Float32Array.of(1, 0, 0, 1), c);
    assertEquals(Array.from(c), [1, 3, 2, 4]); // aᵀ
    blas!.sgemm(false, true, 2, 2, 2, a, a, c);
    assertEquals(Array.from(c), [5, 11, 11, 25]); // a·aᵀ
  },
});

Deno.test({
  name: "sgemm refuses buffers too small for the shapes",
  ignore: blas === undefined,
  fn: () => {
    let message = "";
    try {
      blas!.sgemm(
        false,
        false,
        2,
        2,
        2,
        new Float32Array(3),
        new Float32Array(4),
        new Float32Array(4),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    assertEquals(message, "sgemm: buffers too small for [2×2]·[2×2].");
  },
});

Deno.test("loadBlas gives undefined, not an error, without FFI permission", () => {
  if (!blasAllowed()) assertEquals(loadBlas(), undefined);
});

Deno.test("deno.json grants FFI on exactly BLAS_PATHS to the tasks students run, and to no graded run", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const tasks: Record<string, string> = config.tasks;
  const scoped = `${BLAS_FFI_FLAG} `;
  const training = ["spiral", "demo", "bowl", "search", "normalization", "regularization"];
  for (const name of [...training, "shakespeare", "gradient-flow"]) {
    assert(tasks[name].includes(scoped), `task ${name} grants FFI on BLAS_PATHS`);
  }
  const runner = await Deno.readTextFile(new URL("../test_runner.ts", import.meta.url));
  assert(/^\s+BLAS_FFI_FLAG,$/m.test(runner), "deno task test's runner grants FFI on BLAS_PATHS");
  for (const [name, command] of Object.entries(tasks)) {
    const flags = command.match(/--allow-ffi=\S*/g) ?? [];
    for (const flag of flags) assertEquals(`${flag} `, scoped, `task ${name}'s --allow-ffi`);
  }
  assert(!tasks["test:solutions"].includes("--allow-ffi"), "test:solutions runs as graded runs do");
});

Deno.test("FFI scoped to BLAS_PATHS is enough to load the library, where one is installed", async () => {
  const installed = BLAS_PATHS.find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
  const child = new Deno.Command("deno", {
    args: ["run", `--allow-ffi=${BLAS_PATHS.join(",")}`, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const blas = new URL("./blas.ts", import.meta.url).href;
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(
    `import { loadBlas } from "${blas}"; console.log(loadBlas()?.description ?? "none");`,
  ));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  const line = new TextDecoder().decode(stdout).trim();
  if (installed) assertStringIncludes(line, installed, "the library loaded, named by its path");
  else assertEquals(line, "none", "no library: no native kernels, and no error");
});
