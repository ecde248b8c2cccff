/**
 * Gradescope autograders: one `autograder.zip` per assignment, in the layout
 * Gradescope's autograder specification asks for
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 *
 *     autograder.zip
 *       setup.sh          run once, as root, when Gradescope builds the image (network then)
 *       run_autograder    run for each submission (no network): grades it into results/results.json
 *       README.md         for the instructor: the Gradescope settings to choose, measured times
 *       deno.json, deno.lock, lib/, datasets/, grader/   the course's code (no tests, no solutions)
 *       assignments/      every assignment's starter and published tests (a later one imports earlier ones)
 *       hidden/NN-name/   the hidden tests, when the bundle is given --hidden
 *
 * Gradescope unpacks the zip into `/autograder/source`, runs `setup.sh`, and
 * for each submission puts the upload in `/autograder/submission` and runs
 * `run_autograder`. Both scripts take the folder from `AUTOGRADER_ROOT`
 * (default `/autograder`), so a test can lay out the same tree in a temporary
 * folder and run them unprivileged (`gradescope_test.ts`).
 *
 * The container Gradescope gives an autograder is 0.5 CPU and 768 MB by
 * default, with a 10-minute limit after which it is killed and nothing is
 * recorded. `run_autograder` grades within a deadline 30 s short of the limit
 * (so results.json is always written), one run at a time, each run's memory
 * capped below the container's. An assignment measured to need more says so in
 * `gradescope.json` (the setting, and its measured time at that setting:
 * `deno task measure:gradescope`), and its README tells the instructor which
 * setting to choose.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ArchiveEntry, writeZip } from "../grader/archive.ts";
import { gradingDefaults } from "../grader/resources.ts";
import { solutionLines } from "./bundle.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Deno, pinned: the npm registry's binary package for Linux x64 and its sha512 (from its `dist.integrity`). */
export const DENO = {
  version: "2.9.6",
  tarball: "https://registry.npmjs.org/@deno/linux-x64-glibc/-/linux-x64-glibc-2.9.6.tgz",
  sha512: "de67784ca2c2bb3b0b0e67cea02e4a37b34065ac525643209bae2f83a7e80f4d" +
    "090400c2a584b6ff942a5dfce09cfe59433de22cff6f05026d120735d7a380a1",
};

/** A Gradescope container setting: its CPUs, memory and autograder timeout. */
export interface GradescopeSetting {
  cpus: number;
  memoryMb: number;
  timeoutMinutes: number;
}

/** What Gradescope gives an autograder unless its settings say otherwise. */
export const GRADESCOPE_DEFAULT: GradescopeSetting = {
  cpus: 0.5,
  memoryMb: 768,
  timeoutMinutes: 10,
};

/** A measured grading of the reference solutions in a container of the given setting. */
export interface Measurement {
  /** Wall-clock seconds of `run_autograder`, and CPU seconds (user + sys) of it and its runs. */
  seconds: number;
  cpuSeconds: number;
  /** The container's peak memory (the cgroup's), and the largest test process's, MiB. */
  containerPeakMb: number;
  runPeakMb: number;
  /** The longest single test process, wall-clock seconds. */
  longestRunSeconds: number;
  score: number;
  maxScore: number;
  /** When, and the machine's load average meanwhile (wall time under load is not the budget). */
  date: string;
  load: string;
}

/** An assignment's Gradescope setting, with the grading that shows it is enough. */
export interface AssignmentSetting {
  setting: GradescopeSetting;
  measured?: Measurement;
  /**
   * Test files whose tests run each in a process of its own (`--isolate`): together
   * they went out of memory in this setting, one at a time they fit.
   */
  isolate?: string[];
  /** Why the default is not enough, if it is not. */
  why?: string;
}

/** The settings file: assignment → its setting (absent: the default, not yet measured). */
const SETTINGS_FILE = join(ROOT, "instructor", "gradescope.json");

/** Each assignment's setting; one without an entry gets the default. */
export async function readSettings(): Promise<Record<string, AssignmentSetting>> {
  try {
    return JSON.parse(await Deno.readTextFile(SETTINGS_FILE));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw e;
  }
}

/** The grader's flags for a setting: a deadline 30 s short of the timeout, runs sized to the container. */
export function graderFlags(entry: AssignmentSetting): string[] {
  const { setting, measured, isolate } = entry;
  const deadline = setting.timeoutMinutes * 60 - 30;
  const { jobs, memoryMb } = gradingDefaults(setting);
  // A test file's run may take 1.5× the longest measured, and at least 5 minutes; never past the
  // deadline. On a loaded machine the container got less CPU than its quota, and its runs took
  // longer than on Gradescope: the measured time is scaled by the share of the quota it got.
  const share = measured ? Math.min(1, measured.cpuSeconds / measured.seconds / setting.cpus) : 0;
  const longest = measured ? Math.ceil(1.5 * measured.longestRunSeconds * share) : 0;
  const timeout = Math.min(deadline, Math.max(300, longest));
  return [
    `--jobs=${jobs}`,
    `--memory=${memoryMb}`,
    `--timeout=${timeout}`,
    `--deadline=${deadline}`,
    ...(isolate?.length ? [`--isolate=${isolate.join(",")}`] : []),
  ];
}

/** Top-level course folders an autograder holds, and files. */
const COURSE_FOLDERS = ["lib", "datasets", "grader"];
const COURSE_FILES = ["deno.json", "deno.lock"];

/**
 * The files of `assignment`'s autograder.zip (paths from the zip's root).
 *
 * @param hidden a folder of hidden tests laid out as `NN-name/*_test.ts`, or undefined
 */
export async function planAutograder(
  assignment: string,
  entry: AssignmentSetting,
  hidden?: string,
): Promise<ArchiveEntry[]> {
  const files: ArchiveEntry[] = [];
  const add = async (path: string, from = join(ROOT, path)) =>
    files.push({ path, bytes: await Deno.readFile(from) });
  for (const file of COURSE_FILES) await add(file);
  for (const folder of COURSE_FOLDERS) {
    for (const path of await filesUnder(folder)) {
      // Tests, and the grader's test data (hostile cases hold solution code), stay out.
      if (!path.endsWith("_test.ts") && !path.startsWith("grader/testdata/")) await add(path);
    }
  }
  for (const path of await filesUnder("assignments")) {
    if (/^assignments\/\d\d-[^/]+\//.test(path)) await add(path);
  }
  if (hidden) {
    for (const path of await filesUnder("", join(hidden, assignment))) {
      await add(`hidden/${assignment}/${path}`, join(hidden, assignment, path));
    }
  }
  const text = (s: string) => new TextEncoder().encode(s);
  files.push(
    { path: "setup.sh", bytes: text(setupScript()), executable: true },
    {
      path: "run_autograder",
      bytes: text(runScript(assignment, entry, hidden !== undefined)),
      executable: true,
    },
    {
      path: "README.md",
      bytes: text(autograderReadme(assignment, entry, await importedAssignments(assignment))),
    },
  );
  return files;
}

/** What is wrong with an autograder's files: empty when nothing is. */
export function checkAutograder(
  files: readonly ArchiveEntry[],
  solution: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  for (const name of ["setup.sh", "run_autograder"]) {
    const file = files.find((f) => f.path === name);
    if (!file) problems.push(`${name} is missing from the zip's root.`);
    else if (!file.executable) problems.push(`${name} is not executable.`);
  }
  for (const { path, bytes } of files) {
    if (/(^|\/)solutions\//.test(path) || path.endsWith("/mutants.ts")) {
      problems.push(`${path}: solutions are not for an autograder.`);
    }
    if (path.startsWith("hidden/") || !path.endsWith(".ts")) continue;
    new TextDecoder().decode(bytes).split("\n").forEach((line, i) => {
      const from = solution.get(line.trim());
      if (from) problems.push(`${path}:${i + 1} has a line of a solution region (${from}).`);
    });
  }
  return problems;
}

/** `setup.sh`: installs Deno, the packages, the data and the vendor bundle, skipping what is there. */
function setupScript(): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: the network is there
# now, and never again while grading. It installs what grading needs, skipping what is there:
#   1. Deno ${DENO.version}, from the npm registry's binary package (its sha512 checked);
#   2. the course's npm packages (deno install, from deno.lock);
#   3. the data the graded tests read (deno task data: downloads what is missing, checks sha256s);
#   4. the bundle that graded runs load instead of npm (grader/vendor.ts).
# GRADLAB_SETUP_OFFLINE=1 downloads no Deno: it must be there (the simulation test runs it so, on a
# machine that has everything; the other steps download nothing that is there already).
set -euo pipefail
AUTOGRADER="\${AUTOGRADER_ROOT:-/autograder}"
BIN="\${DENO_BIN_DIR:-/usr/local/bin}"
DENO_VERSION=${DENO.version}
DENO_TARBALL=${DENO.tarball}
DENO_SHA512=${DENO.sha512}
export PATH="$BIN:$PATH" XDG_RUNTIME_DIR="\${XDG_RUNTIME_DIR:-/tmp}" NO_COLOR=1
cd "$AUTOGRADER/source"

if [ "$(deno --version 2>/dev/null | awk 'NR==1 {print $2}')" = "$DENO_VERSION" ]; then
  echo "setup: Deno $DENO_VERSION is installed."
elif [ -n "\${GRADLAB_SETUP_OFFLINE:-}" ]; then
  echo "setup: Deno $DENO_VERSION is not installed, and GRADLAB_SETUP_OFFLINE forbids downloading it." >&2
  exit 1
else
  if ! command -v curl >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl ca-certificates
  fi
  tmp="$(mktemp -d)"
  curl -fsSL "$DENO_TARBALL" -o "$tmp/deno.tgz"
  echo "$DENO_SHA512  $tmp/deno.tgz" | sha512sum -c --quiet -
  tar -xzf "$tmp/deno.tgz" -C "$tmp" package/deno
  mkdir -p "$BIN"
  install -m 0755 "$tmp/package/deno" "$BIN/deno"
  rm -rf "$tmp"
  echo "setup: installed Deno $DENO_VERSION in $BIN."
fi

deno install --frozen
deno task data
deno run --allow-all grader/vendor.ts
echo "setup: done."
`;
}

/** `run_autograder`: grades the submission for `assignment` within the setting's limits. */
function runScript(assignment: string, entry: AssignmentSetting, hidden: boolean): string {
  const flags = [
    `--assignment=${assignment}`,
    ...(hidden ? ["--hidden=hidden"] : []),
    ...graderFlags(entry),
  ];
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission, in /autograder, without network. It grades
# ${assignment} and writes /autograder/results/results.json, within the time limit (see README.md).
# Arguments are passed on to the grader (a test narrows the graded files with --tests).
set -uo pipefail
AUTOGRADER="\${AUTOGRADER_ROOT:-/autograder}"
export PATH="\${DENO_BIN_DIR:-/usr/local/bin}:$PATH" XDG_RUNTIME_DIR="\${XDG_RUNTIME_DIR:-/tmp}" NO_COLOR=1
export GRADLAB_TEST_BACKENDS=wasm
cd "$AUTOGRADER/source" || exit 1
mkdir -p "$AUTOGRADER/results"
deno run --cached-only --allow-all grader/grade.ts "$AUTOGRADER/submission" \\
  ${flags.join(" ")} \\
  --out="$AUTOGRADER/results" "$@"
code=$?
if [ ! -s "$AUTOGRADER/results/results.json" ]; then
  printf '{"score": 0, "output": "The autograder could not start (exit code %s); tell your instructor."}\\n' \\
    "$code" > "$AUTOGRADER/results/results.json"
fi
exit "$code"
`;
}

/**
 * The README beside (and inside) an autograder.zip: what to choose in Gradescope, and why.
 *
 * @param uses the earlier assignments whose files `assignment` imports
 */
export function autograderReadme(
  assignment: string,
  entry: AssignmentSetting,
  uses: readonly string[] = [],
): string {
  const { setting, measured, why } = entry;
  const isDefault = JSON.stringify(setting) === JSON.stringify(GRADESCOPE_DEFAULT);
  const lines = [
    `# Gradescope autograder: ${assignment}`,
    "",
    "In Gradescope: Configure Autograder → Zip file upload → `autograder.zip`, base image Ubuntu",
    "22.04. Then set:",
    "",
    "| setting | value |",
    "| --- | --- |",
    `| Autograder timeout | ${setting.timeoutMinutes} minutes |`,
    `| Container | ${setting.cpus} CPU, ${setting.memoryMb} MB${
      isDefault ? " (Gradescope's default)" : ""
    } |`,
    "",
  ];
  if (!isDefault && why) {
    lines.push(`The default (0.5 CPU, 768 MB, 10 minutes) is not enough: ${why}`, "");
  }
  if (measured) {
    const idle = Math.round(measured.cpuSeconds / setting.cpus);
    lines.push(
      `Measured ${measured.date}, grading the reference solutions at this setting: ` +
        `${measured.score}/${measured.maxScore}, ${measured.cpuSeconds} s of CPU, so about ` +
        `${idle} s at ${setting.cpus} CPU (the timeout leaves ${
          setting.timeoutMinutes * 60 - idle
        } s to spare); ${measured.seconds} s of wall time on the measuring machine, busy with ` +
        `other work (load average ${measured.load}). Peak memory: ${measured.runPeakMb} MiB ` +
        `for the largest test process, ${measured.containerPeakMb} MiB for the container.`,
      "",
    );
  } else {
    lines.push(
      "Not measured yet at this setting: measure it with `deno task measure:gradescope " +
        `--assignment ${assignment}\` before the course uses it.`,
      "",
    );
  }
  lines.push(
    ...(uses.length
      ? [
        `${assignment} imports ${uses.join(", ")}: students upload their whole \`assignments/\``,
        "folder (or a .zip of it), so that their earlier work comes too; an assignment missing",
        "from the upload comes from the starter, and the tests that need it fail as not",
        "implemented.",
      ]
      : [
        "Students upload their `assignments/" + assignment + "/` folder, a .zip of it, or its",
        "files themselves.",
      ]),
    "Only the files with TODOs (and helpers they add) are taken from an upload; the course",
    "provides the rest. An upload that is not one (not an archive, damaged, too big) scores 0",
    "with a message saying what is wrong.",
    "",
    "`setup.sh` installs Deno, the packages, the data sets (downloaded and checked against their",
    "sha256) and the vendor bundle into the image; grading then needs no network. `run_autograder`",
    "grades one test process at a time within a deadline 30 s short of the timeout, so",
    "`results.json` is always written: a test that had no time left says so. Every run is seeded:",
    "grading the same submission again gives the same score.",
    "",
  );
  return lines.join("\n");
}

/** Builds every assignment's autograder into `out/<assignment>/` (zip and README); returns problems. */
export async function writeAutograders(
  assignments: readonly string[],
  out: string,
  hidden?: string,
): Promise<string[]> {
  const settings = await readSettings();
  const lines = await solutionLines();
  const problems: string[] = [];
  for (const assignment of assignments) {
    const entry = settings[assignment] ?? { setting: GRADESCOPE_DEFAULT };
    const files = await planAutograder(assignment, entry, hidden);
    problems.push(...checkAutograder(files, lines).map((p) => `${assignment}: ${p}`));
    const dir = join(out, assignment);
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeFile(join(dir, "autograder.zip"), await writeZip(files));
    const uses = await importedAssignments(assignment);
    await Deno.writeTextFile(join(dir, "README.md"), autograderReadme(assignment, entry, uses));
  }
  return problems;
}

/** The other assignments whose files `assignment`'s files import (`../01-backprop/layers.ts`). */
export async function importedAssignments(assignment: string): Promise<string[]> {
  const used = new Set<string>();
  for (const path of await filesUnder(`assignments/${assignment}`)) {
    if (!path.endsWith(".ts")) continue;
    for (
      const [, name] of (await Deno.readTextFile(join(ROOT, path))).matchAll(
        /"\.\.\/(\d\d-[\w-]+)\//g,
      )
    ) {
      if (name !== assignment) used.add(name);
    }
  }
  return [...used].sort();
}

/** Regular files under `path` (a folder under `root`), relative to `root`, sorted; none if it is missing. */
async function filesUnder(path: string, root = ROOT): Promise<string[]> {
  const full = join(root, path);
  const stat = await Deno.lstat(full).catch(() => undefined);
  if (!stat?.isDirectory) return [];
  const out: string[] = [];
  for await (const entry of Deno.readDir(full)) {
    const child = path ? `${path}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await filesUnder(child, root));
    else if (entry.isFile) out.push(child);
  }
  return out.sort();
}
