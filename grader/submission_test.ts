import { join } from "node:path";
import { assertEquals, assertRejects } from "../lib/assert.ts";
import { writeTarGz } from "./archive.ts";
import { loadSubmission, SubmissionError } from "./submission.ts";

const EXPECTED = { "01-backprop": ["gates.ts", "layers.ts"], "02-cnn": ["conv.ts"] };

/** A temporary folder holding `files` (path → content); removed after `fn`. */
async function withFolder(files: Record<string, string>, fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    for (const [path, content] of Object.entries(files)) {
      await Deno.mkdir(join(dir, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, path), content);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const names = (files: Map<string, Uint8Array>) => [...files.keys()].sort();

Deno.test("a repository's assignments/ folders are found, tests and node_modules left out", async () => {
  await withFolder({
    "repo/assignments/01-backprop/gates.ts": "g",
    "repo/assignments/01-backprop/layers.ts": "l",
    "repo/assignments/01-backprop/helpers/util.ts": "u",
    "repo/assignments/01-backprop/gates_test.ts": "a forged test",
    "repo/assignments/02-cnn/conv.ts": "c",
    "repo/node_modules/01-backprop/gates.ts": "not this one",
    "repo/archive/01-backprop/gates.ts": "as deep as assignments/01-backprop, which wins",
  }, async (dir) => {
    const { folders, notes } = await loadSubmission(dir, EXPECTED);
    assertEquals(folders.get("01-backprop")!.from, "repo/assignments/01-backprop");
    assertEquals(names(folders.get("01-backprop")!.files), [
      "gates.ts",
      "helpers/util.ts",
      "layers.ts",
    ]);
    assertEquals(names(folders.get("02-cnn")!.files), ["conv.ts"]);
    assertEquals(notes, []);
  });
});

Deno.test("a flat upload is one assignment's folder; what is missing is said", async () => {
  await withFolder({ "gates.ts": "g", "README.md": "mine" }, async (dir) => {
    const { folders, notes } = await loadSubmission(dir, {
      "01-backprop": EXPECTED["01-backprop"],
    });
    assertEquals(folders.get("01-backprop")!.from, "");
    assertEquals(names(folders.get("01-backprop")!.files), ["README.md", "gates.ts"]);
    assertEquals(notes, ["01-backprop: layers.ts is missing from the submission."]);
  });
});

Deno.test("an assignment absent from the submission is a note, not an error", async () => {
  await withFolder({ "01-backprop/gates.ts": "g", "01-backprop/layers.ts": "l" }, async (dir) => {
    const { folders, notes } = await loadSubmission(dir, EXPECTED);
    assertEquals([...folders.keys()], ["01-backprop"]);
    assertEquals(notes, ["02-cnn: no folder of that name in the submission."]);
  });
});

Deno.test("links in a submission folder are left out and named", async () => {
  await withFolder({ "01-backprop/gates.ts": "g", "01-backprop/layers.ts": "l" }, async (dir) => {
    await Deno.symlink("/etc/passwd", join(dir, "01-backprop", "passwd.ts"));
    const { folders, notes } = await loadSubmission(dir, {
      "01-backprop": EXPECTED["01-backprop"],
    });
    assertEquals(names(folders.get("01-backprop")!.files), ["gates.ts", "layers.ts"]);
    assertEquals(notes, ["left out 01-backprop/passwd.ts (not a regular file)"]);
  });
});

Deno.test("an archive is read like a folder, node_modules left out", async () => {
  await withFolder({}, async (dir) => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    await Deno.writeFile(
      join(dir, "hw.tar.gz"),
      await writeTarGz([
        { path: "hw/01-backprop/gates.ts", bytes: bytes("g") },
        { path: "hw/01-backprop/layers.ts", bytes: bytes("l") },
        { path: "hw/01-backprop/node_modules/x/index.js", bytes: bytes("n") },
      ]),
    );
    const { folders, notes } = await loadSubmission(join(dir, "hw.tar.gz"), {
      "01-backprop": EXPECTED["01-backprop"],
    });
    assertEquals(new TextDecoder().decode(folders.get("01-backprop")!.files.get("gates.ts")), "g");
    assertEquals(names(folders.get("01-backprop")!.files), ["gates.ts", "layers.ts"]);
    assertEquals(notes, ["left out every node_modules/ folder"]);
  });
});

Deno.test("a submission that is not there, or not a folder or archive, is an error that says so", async () => {
  await assertRejects(
    () => loadSubmission("/no/such/hw", EXPECTED),
    Error,
    "no such file or folder",
  );
  await withFolder({ "hw.docx": "x" }, async (dir) => {
    await assertRejects(
      () => loadSubmission(join(dir, "hw.docx"), EXPECTED),
      SubmissionError,
      "Your upload hw.docx is not an archive the grader reads",
    );
  });
});

Deno.test("an empty or damaged archive is the upload's problem, and says so", async () => {
  await withFolder(
    { "empty.zip": "", "junk.zip": "PK not really a zip", "junk.tgz": "x" },
    async (dir) => {
      await assertRejects(
        () => loadSubmission(join(dir, "empty.zip"), EXPECTED),
        SubmissionError,
        "Your upload empty.zip is empty (0 bytes).",
      );
      await assertRejects(
        () => loadSubmission(join(dir, "junk.zip"), EXPECTED),
        SubmissionError,
        "Your upload junk.zip is not a valid zip archive",
      );
      await assertRejects(
        () => loadSubmission(join(dir, "junk.tgz"), EXPECTED),
        SubmissionError,
        "Your upload junk.tgz is not a valid tar archive",
      );
    },
  );
});

Deno.test("files nested deeper than the limit are left out before any other work", async () => {
  const deep = Array.from({ length: 20 }, (_, i) => `d${i}`).join("/");
  await withFolder(
    { "01-backprop/gates.ts": "g", [`01-backprop/${deep}/x.ts`]: "x" },
    async (dir) => {
      const { folders, notes } = await loadSubmission(dir, { "01-backprop": ["gates.ts"] });
      assertEquals(names(folders.get("01-backprop")!.files), ["gates.ts"], "the shallow file only");
      assertEquals(notes.length, 1, `one note: ${notes}`);
      assertEquals(notes[0].includes("nested more than 16 folders deep"), true, notes[0]);
    },
  );
});
