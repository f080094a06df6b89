// Mutation check of the exedev, islo and cloudflare-computer blueprints:
// each mutant is an exact text edit of templates/sandbox/<name>/v1.ts
// (required to apply exactly once); the mutated adapter is compiled with the
// project's tsc and its behaviour suite (tests/ts/sdk/<name>.test.mjs) must
// go red. Prints the failing tests per mutant; exits 1 if one survives.
//
// Usage: FLUE_PROJECT=<project with @flue/runtime 2.1.0, ssh2, @types/ssh2,
//   @cloudflare/computer, @cloudflare/workers-types, typescript, @types/node>
//   node tests/ts/mutants-sdk2.mjs [mutant-name...]
// Run with Node 22 (target/ts-cache/tools/node_modules/node/bin/node).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PROJECT = process.env.FLUE_PROJECT;
if (!PROJECT) throw new Error("set FLUE_PROJECT");

const TIMEOUT_LINE = "Command timed out after ${ms} milliseconds.";

export const MUTANTS = [
  // exedev
  ["exedev", "timeout-exit-1", "return { stdout: \"\", stderr, exitCode: 124 };", "return { stdout: \"\", stderr, exitCode: 1 };"],
  ["exedev", "timeout-message", TIMEOUT_LINE, "Command timed out after ${ms} ms."],
  ["exedev", "no-timer", "if (typeof timeoutMs === \"number\") {", "if (typeof timeoutMs === \"string\") {"],
  ["exedev", "abort-becomes-124", "if (outcome.kind === \"abort\") throw outcome.reason;", "if (outcome.kind === \"abort\") return timedOut(options?.timeoutMs);"],
  ["exedev", "pre-aborted-still-runs", "if (signal?.aborted) return { kind: \"abort\", reason: abortReason(signal) };", ""],
  ["exedev", "abort-while-opening-missed", "    if (signal?.aborted) return onAbort();\n    signal?.addEventListener", "    signal?.addEventListener"],
  ["exedev", "env-not-validated", "if (invalid.length > 0) {", "if (invalid.length > 99) {"],
  ["exedev", "quote-not-escaped", "return `'${value.replace(/'/g, `'\\\\''`)}'`;", "return `'${value}'`;"],
  ["exedev", "stat-claims-symlink", "isDirectory,\n      ...(size", "isDirectory,\n      isSymbolicLink: false,\n      ...(size"],
  ["exedev", "cwd-ignored", "lines.push(`cd -- ${shellQuote(options.cwd)} || exit 1`);", ""],
  ["exedev", "rm-ignores-recursive", "${options?.recursive ? \"r\" : \"\"}", ""],
  // islo
  ["islo", "timeout-exit-1", "return { stdout: \"\", stderr, exitCode: 124 };", "return { stdout: \"\", stderr, exitCode: 1 };"],
  ["islo", "timeout-message", TIMEOUT_LINE, "Command timed out after ${ms} ms."],
  ["islo", "no-timer", "if (typeof timeoutMs === \"number\") {", "if (typeof timeoutMs === \"string\") {"],
  ["islo", "abort-becomes-124", "if (outcome.kind === \"abort\") throw outcome.reason;", "if (outcome.kind === \"abort\") return timedOut(options?.timeoutMs);"],
  ["islo", "pre-aborted-still-runs", "return Promise.resolve({ kind: \"abort\", reason: abortReason(signal) });", "void 0;"],
  ["islo", "env-not-validated", "if (invalid.length > 0) {", "if (invalid.length > 99) {"],
  ["islo", "quote-not-escaped", "return `'${value.replace(/'/g, `'\\\\''`)}'`;", "return `'${value}'`;"],
  ["islo", "stat-claims-symlink", "isDirectory: type === \"directory\",", "isDirectory: type === \"directory\",\n      isSymbolicLink: false,"],
  ["islo", "session-dropped", "args.push(\"--session\", this.session);", "void 0;"],
  ["islo", "chunks-overwrite", "redirect = \">>\";", "redirect = \">\";"],
  // cloudflare-computer
  ["cloudflare-computer", "timeout-exit-1", "return { stdout: \"\", stderr, exitCode: 124 };", "return { stdout: \"\", stderr, exitCode: 1 };"],
  ["cloudflare-computer", "timeout-message", TIMEOUT_LINE, "Command timed out after ${ms} ms."],
  ["cloudflare-computer", "no-timer", "if (typeof timeoutMs === \"number\") {", "if (typeof timeoutMs === \"string\") {"],
  ["cloudflare-computer", "abort-becomes-124", "if (outcome.kind === \"abort\") throw outcome.reason;", "if (outcome.kind === \"abort\") return timedOut(options?.timeoutMs);"],
  ["cloudflare-computer", "pre-aborted-still-runs", "if (signal?.aborted) throw abortReason(signal);", ""],
  ["cloudflare-computer", "no-kill", "if (outcome.kind !== \"done\") handle.kill(\"SIGKILL\")", "if (outcome.kind === \"error\") handle.kill(\"SIGKILL\")"],
  ["cloudflare-computer", "handle-not-disposed", "handle[Symbol.dispose]();", "void handle;"],
  ["cloudflare-computer", "mtime-not-converted", "mtime: new Date(s.mtime),", "mtime: new Date(),"],
  ["cloudflare-computer", "rm-drops-recursive", "recursive: options?.recursive,\n      force", "recursive: false,\n      force"],
  ["cloudflare-computer", "backend-dropped", "...(this.backend === undefined ? {} : { backend: this.backend }),", ""],
];

function applyOnce(source, from, to, label) {
  const count = source.split(from).length - 1;
  if (count !== 1) throw new Error(`${label}: expected one match, found ${count}`);
  return source.replace(from, () => to);
}

const only = process.argv.slice(2);
const node = process.execPath;
const tsc = join(PROJECT, "node_modules/typescript/bin/tsc");
let survived = 0;
for (const [name, mutant, from, to] of MUTANTS) {
  const label = `${name}/${mutant}`;
  if (only.length > 0 && !only.includes(mutant) && !only.includes(label)) continue;
  const template = readFileSync(join(REPO, "templates/sandbox", name, "v1.ts"), "utf8");
  const mutated = applyOnce(template, from, to, label);
  const dir = join(PROJECT, "mut", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", `${name}.ts`), mutated);
  const cf = name === "cloudflare-computer";
  const types = cf ? ["@cloudflare/workers-types"] : ["node"];
  const lib = cf ? ["ES2022"] : ["ES2022", "DOM"];
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, skipLibCheck: true, target: "ES2022", lib, module: "NodeNext", moduleResolution: "NodeNext", types, rootDir: "src", outDir: "build" },
      include: ["src"],
    }),
  );
  const compiled = spawnSync(node, [tsc, "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
  if (compiled.status !== 0) {
    console.log(`RED   ${label}: tsc: ${(compiled.stdout.match(/error TS\d+[^\n]*/) ?? ["?"])[0]}`);
    continue;
  }
  const run = spawnSync(node, ["--test", join(REPO, "tests/ts/sdk", `${name}.test.mjs`)], {
    encoding: "utf8",
    env: { ...process.env, FLUE_ADAPTER: join(dir, "build", `${name}.js`), FLUE_PROJECT: PROJECT },
    timeout: 180_000,
  });
  const red = [...run.stdout.matchAll(/^\s+not ok \d+ - (.*)$/gm)].map((m) => m[1]);
  if (run.error) {
    console.log(`RED   ${label}: suite did not finish (${run.error.code ?? run.error.message})`);
  } else if (run.status === 0 || red.length === 0) {
    survived += 1;
    console.log(`ALIVE ${label}`);
  } else {
    console.log(`RED   ${label}: ${red.join(" | ")}`);
  }
}
rmSync(join(PROJECT, "mut"), { recursive: true, force: true });
if (survived > 0) {
  console.log(`${survived} mutant(s) survived`);
  process.exit(1);
}
