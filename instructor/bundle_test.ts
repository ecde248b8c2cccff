import { assertEquals } from "../lib/assert.ts";
import { writeTarGz } from "../grader/archive.ts";
import {
  checkManifest,
  checkStudentArchive,
  planBundles,
  solutionLines,
  studentConfig,
} from "./bundle.ts";
import { assignmentFolders } from "./release.ts";

const file = (path: string, text: string) => ({ path, bytes: new TextEncoder().encode(text) });
const STUDENT_CONFIG = file("gradlab/deno.json", JSON.stringify({ tasks: { test: "deno test" } }));

Deno.test("the student's deno.json keeps only tasks that work without the instructor's folders", () => {
  const { text, dropped } = studentConfig(JSON.stringify({
    tasks: {
      test: "deno test --allow-read",
      demo: "deno run --import-map=solutions/import_map.json a.ts",
      grade: "deno run --allow-all grader/grade.ts",
      ci: "deno fmt --check && deno task grade",
      spiral: "deno run assignments/01-backprop/spiral.ts",
    },
    exclude: ["grader/testdata/"],
  }));
  assertEquals(JSON.parse(text), {
    tasks: { test: "deno test --allow-read", spiral: "deno run assignments/01-backprop/spiral.ts" },
  });
  assertEquals(dropped, ["demo (uses solutions/)", "grade (uses grader/)", "ci (runs grade)"]);
});

Deno.test("the student archive check finds instructor files, hidden tests, solution lines, missing tasks", () => {
  const solution = new Map([[
    "return [tf.add(x, y), { x, y }];",
    "solutions/01-backprop/gates.ts:7",
  ]]);
  assertEquals(checkStudentArchive([STUDENT_CONFIG, file("gradlab/lib/a.ts", "ok")], solution), []);
  assertEquals(
    checkStudentArchive([
      STUDENT_CONFIG,
      file("gradlab/solutions/01-backprop/gates.ts", "x"),
      file("gradlab/assignments/hidden/a_test.ts", "x"),
      file("gradlab/assignments/01-backprop/gates.ts", "  return [tf.add(x, y), { x, y }];\n"),
      file("gradlab/README.md", "Run `deno task test`, then `deno task demo`."),
    ], solution),
    [
      "gradlab/solutions/01-backprop/gates.ts: solutions/ is not for students.",
      "gradlab/assignments/hidden/a_test.ts: looks like hidden tests.",
      "gradlab/assignments/01-backprop/gates.ts:1 has a line of a solution region " +
      "(solutions/01-backprop/gates.ts:7).",
      "gradlab/README.md:1 mentions `deno task demo`, which students do not have.",
    ],
  );
});

Deno.test("the student archive check reads a notebook cell by cell: a solution line in a cell is found", () => {
  const solution = new Map([[
    "return [tf.add(x, y), { x, y }];",
    "solutions/01-backprop/gates.ts:7",
  ]]);
  const notebook = JSON.stringify(
    {
      cells: [
        {
          cell_type: "markdown",
          source: ["See [the handout](README.md).\n", "Then `deno task demo`."],
        },
        { cell_type: "code", source: ["const a = 1;\n", "  return [tf.add(x, y), { x, y }];\n"] },
      ],
    },
    null,
    1,
  );
  assertEquals(
    checkStudentArchive(
      [STUDENT_CONFIG, file("gradlab/assignments/01-backprop/01-backprop.ipynb", notebook)],
      solution,
    ),
    [
      "gradlab/assignments/01-backprop/01-backprop.ipynb links to README.md, which is not in the archive.",
      "gradlab/assignments/01-backprop/01-backprop.ipynb (cell 1, line 2) mentions `deno task demo`, " +
      "which students do not have.",
      "gradlab/assignments/01-backprop/01-backprop.ipynb (cell 2, line 2) has a line of a solution " +
      "region (solutions/01-backprop/gates.ts:7).",
    ],
  );
});

Deno.test("the student archive check finds a README link to a file it lacks", () => {
  const readme = file(
    "gradlab/README.md",
    "[ok](assignments/01/README.md) [gone](assignments/02/README.md) [web](https://deno.com)",
  );
  assertEquals(
    checkStudentArchive(
      [STUDENT_CONFIG, readme, file("gradlab/assignments/01/README.md", "# one")],
      new Map(),
    ),
    ["gradlab/README.md links to assignments/02/README.md, which is not in the archive."],
    "the broken link, and only it",
  );
});

Deno.test("the manifest check finds changed, unlisted and missing files", async () => {
  const { student } = await planBundles(["01-backprop"]);
  assertEquals(await checkManifest(student, "gradlab"), []);
  const changed = student.map((f) => f.path === "gradlab/deno.lock" ? file(f.path, "{}") : f);
  assertEquals(await checkManifest(changed, "gradlab"), [
    "gradlab/deno.lock does not match its checksum.",
  ]);
  const extra = [...student, file("gradlab/planted.ts", "")];
  assertEquals(await checkManifest(extra, "gradlab"), [
    "gradlab/planted.ts is not in the manifest.",
  ]);
  const fewer = student.filter((f) => f.path !== "gradlab/deno.lock");
  assertEquals(await checkManifest(fewer, "gradlab"), [
    "gradlab/deno.lock is in the manifest but not the archive.",
  ]);
});

Deno.test("the course's bundles pass their checks and are the same bytes every time", async () => {
  const assignments = await assignmentFolders();
  const first = await planBundles(assignments);
  const lines = await solutionLines();
  assertEquals(lines.size > 50, true, `only ${lines.size} solution lines found`);
  assertEquals(checkStudentArchive(first.student, lines), []);
  assertEquals(await checkManifest(first.solutions, "gradlab/solutions"), []);
  for (const a of assignments) {
    const files = first.solutions.filter((f) => f.path.startsWith(`gradlab/solutions/${a}/`));
    assertEquals(files.length > 0, true, `no solution files of ${a} in the solutions archive`);
  }
  const second = await planBundles(assignments);
  assertEquals(await writeTarGz(second.student), await writeTarGz(first.student));
});
