// Deliberately broken copies of the templates, for tests/ts/mutations.sh:
// each mutant must turn a check red. Every edit must apply exactly once, so a
// template change cannot silently turn a mutant into the original.
//
// node tests/ts/mutants.mjs list
// node tests/ts/mutants.mjs write <name> <template-dir> <out-dir>
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const BOTH = [1, 2];

// name: { suite: "behaviour" | "typecheck", why, edits: [[versions, from, to]] }
export const MUTANTS = {
  "stat-isfile-seed": {
    suite: "typecheck",
    why: "the seed's isFile test `s.type === 'file'` (never true on Mirage)",
    edits: [[BOTH, "isFile: !isDirectoryStat(s),", 'isFile: s.type === "file",']],
  },
  "stat-isfile-cast": {
    suite: "behaviour",
    why: "the same 'file' test, cast so that it compiles",
    edits: [
      [BOTH, "isFile: !isDirectoryStat(s),", 'isFile: (s.type as string) === "file",'],
    ],
  },
  "rm-mutates-before-rejecting": {
    suite: "behaviour",
    why: "rm unlinks first, then rejects recursive/force",
    edits: [
      [
        BOTH,
        "    const unsupported: string[] = [];",
        "    await this.workspace.fs.unlink(path);\n    const unsupported: string[] = [];",
      ],
    ],
  },
  "no-exit-124": {
    suite: "behaviour",
    why: "a timeout is not turned into exit code 124 (rethrown instead)",
    edits: [
      [
        BOTH,
        "      if (isAbortOf(err, timeout)) return",
        "      if (isAbortOf(err, timeout) && callerSignal) return",
      ],
    ],
  },
  "timeout-exit-1": {
    suite: "behaviour",
    why: "a timeout becomes exit code 1",
    edits: [[BOTH, "exitCode: 124 }", "exitCode: 1 }"]],
  },
  "no-timeout-signal": {
    suite: "behaviour",
    why: "timeoutMs is not turned into a signal for Mirage",
    edits: [[BOTH, "signal,\n      });", "signal: callerSignal,\n      });"]],
  },
  "timeout-in-seconds": {
    suite: "behaviour",
    why: "timeoutMs treated as seconds",
    edits: [[BOTH, "AbortSignal.timeout(ms)", "AbortSignal.timeout(ms * 1000)"]],
  },
  "size-mtime-always-present": {
    suite: "behaviour",
    why: "stat fabricates size 0 and mtime now when Mirage reports null",
    edits: [
      [
        BOTH,
        "      ...(s.size === null ? {} : { size: s.size }),\n      ...(mtime === undefined ? {} : { mtime }),",
        "      size: s.size ?? 0,\n      mtime: mtime ?? new Date(),",
      ],
    ],
  },
  "no-getsession-fallback": {
    suite: "behaviour",
    why: "createSession only: a second init with the same context id throws",
    edits: [
      [
        BOTH,
        "  try {\n    workspace.createSession(id);\n  } catch {\n    workspace.getSession(id);\n  }",
        "  workspace.createSession(id);",
      ],
    ],
  },
  "session-error-swallowed": {
    suite: "behaviour",
    why: "createSession failure swallowed without getSession",
    edits: [[BOTH, "  } catch {\n    workspace.getSession(id);\n  }", "  } catch {\n    // ignore\n  }"]],
  },
  "caller-abort-does-not-win": {
    suite: "behaviour",
    why: "no caller-abort precedence: a timeout that fired too becomes 124",
    edits: [[BOTH, "      if (callerSignal?.aborted) throw err;\n", ""]],
  },
  "readfilebuffer-no-copy": {
    suite: "behaviour",
    why: "readFileBuffer returns Mirage's own buffer",
    edits: [[BOTH, "return new Uint8Array(await this.readBytes(path));", "return this.readBytes(path);"]],
  },
  "readfile-not-raw": {
    suite: "behaviour",
    why: "reads ask Mirage for its rendering of the format, not the raw bytes",
    edits: [[BOTH, "return this.workspace.fs.readFile(path, { raw: true });", "return this.workspace.fs.readFile(path);"]],
  },
  "readdir-full-paths": {
    suite: "behaviour",
    why: "readdir passes Mirage's full paths through",
    edits: [[BOTH, "return entries.map(baseName);", "return entries;"]],
  },
  "rm-dir-by-unlink": {
    suite: "behaviour",
    why: "rm unlinks directories (Mirage 'succeeds' without removing) and trusts it",
    edits: [
      [BOTH, "      await this.workspace.fs.rmdir(path);", "      await this.workspace.fs.unlink(path);"],
      [BOTH, "    if (await this.exists(path)) {\n      throw fsError(\"EIO\"", "    if (false as boolean) {\n      throw fsError(\"EIO\""],
    ],
  },
  "rm-nonempty-dir": {
    suite: "behaviour",
    why: "rm drops a non-empty directory (Mirage keeps its files as orphans)",
    edits: [[BOTH, "if ((await this.workspace.fs.readdir(path)).length > 0) {", "if ((await this.workspace.fs.readdir(path)).length > 99) {"]],
  },
  "mkdir-over-existing": {
    suite: "behaviour",
    why: "mkdir without existence check (turns a file into a directory)",
    edits: [[BOTH, "      if (await this.exists(path)) {\n        throw fsError(\"EEXIST\"", "      if (false as boolean) {\n        throw fsError(\"EEXIST\""]],
  },
  "exec-ignores-cwd-env": {
    suite: "behaviour",
    why: "exec drops cwd and env",
    edits: [[BOTH, "        cwd: options?.cwd,\n        env: options?.env,\n", ""]],
  },
  "v2-no-readonly-check": {
    suite: "behaviour",
    why: "v2 writeFile does not check the mount mode",
    edits: [[[2], '    this.assertWritable("writeFile", path);\n', ""]],
  },
  "v2-shortest-prefix": {
    suite: "behaviour",
    why: "v2 picks the shortest matching mount, not the longest",
    edits: [[[2], "mount.prefix.length > found.prefix.length", "mount.prefix.length < found.prefix.length"]],
  },
  "v1-factory-literal": {
    suite: "typecheck",
    why: "v1 returns an object literal with both methods (excess-property check before 2.0.3)",
    edits: [
      [
        [1],
        "  const factory = { createSessionEnv, createSandbox: createSessionEnv };\n  return factory;",
        "  return { createSessionEnv, createSandbox: createSessionEnv };",
      ],
    ],
  },
  "v1-no-createsandbox": {
    suite: "typecheck",
    why: "v1 offers only createSessionEnv (SandboxFactory requires createSandbox from 2.0.3)",
    edits: [[[1], "  const factory = { createSessionEnv, createSandbox: createSessionEnv };", "  const factory = { createSessionEnv };"]],
  },
};

// Catalog blueprints (tests/ts/catalog.sh): one or more mutants per contract
// behaviour per blueprint. Each edit applies exactly once to the blueprint's
// v1.ts; the mutant is written to <out-dir>/<blueprint>/v1.ts.
const T124 = "      if (timeout?.aborted) return timedOut(ms);\n";
const WINS = "      if (callerSignal?.aborted) throw callerSignal.reason;\n";
function common(bp, raced) {
  return {
    [`${bp}-no-exit-124`]: ["a timeout rethrows the abort instead of resolving with 124", [[T124, ""]]],
    [`${bp}-timeout-exit-1`]: ["a timeout resolves with exit code 1", [["exitCode: 124 }", "exitCode: 1 }"]]],
    [`${bp}-timeout-message`]: ["the timeout message loses its exact wording", [["Command timed out after ${ms} milliseconds.", "Timed out (${ms} ms)."]]],
    [`${bp}-timeout-in-seconds`]: ["timeoutMs treated as seconds", [["AbortSignal.timeout(ms)", "AbortSignal.timeout(ms * 1000)"]]],
    [`${bp}-caller-abort-does-not-win`]: ["no caller-abort precedence: a timeout that fired too becomes 124", [[WINS, ""]]],
    [`${bp}-abort-not-raced`]: ["exec waits for the provider instead of settling on the signal", [[raced[0], raced[1]]]],
  };
}
const CATALOG = {
  e2b: {
    ...common("e2b", ["await raced(run, signal)", "await run"]),
    "e2b-stat-fabricates-mtime": ["stat makes up an mtime when E2B reports none", [["...(info.modifiedTime === undefined ? {} : { mtime: info.modifiedTime }),", "mtime: info.modifiedTime ?? new Date(),"]]],
    "e2b-rm-nonempty": ["plain rm removes a non-empty directory (E2B's remove takes the tree)", [["if ((await this.sandbox.files.list(path)).length > 0) {", "if ((await this.sandbox.files.list(path)).length > 99) {"]]],
    "e2b-mkdir-existing": ["plain mkdir accepts an existing path (makeDir tolerates it)", [["      if (await this.exists(path)) {\n        throw fsError(\"EEXIST\"", "      if (false as boolean) {\n        throw fsError(\"EEXIST\""]]],
    "e2b-drops-cwd-env": ["exec drops cwd and env", [["        cwd: options?.cwd,\n        envs: options?.env,\n", ""]]],
    "e2b-exit-code-lost": ["a non-zero exit (CommandExitError) becomes exit 1", [["          exitCode: err.exitCode,", "          exitCode: 1,"]]],
    "e2b-no-command-limit": ["E2B is not told timeoutMs", [["        ...(ms === undefined ? {} : { timeoutMs: ms }),\n", ""]]],
    "e2b-readdir-paths": ["readdir returns full paths", [["entries.map((entry) => entry.name)", "entries.map((entry) => entry.path)"]]],
  },
  daytona: {
    ...common("daytona", ["await raced(run, signal)", "await run"]),
    "daytona-stat-fabricates-mtime": ["stat makes up an mtime when modTime does not parse", [["...(mtime === undefined ? {} : { mtime }),", "mtime: mtime ?? new Date(0),"]]],
    "daytona-rm-nonempty": ["plain rm removes a non-empty directory", [["if ((await this.sandbox.fs.listFiles(path)).length > 0) {", "if ((await this.sandbox.fs.listFiles(path)).length > 99) {"]]],
    "daytona-mkdir-existing": ["plain mkdir accepts an existing path", [["      if ((await this.detailsOrNull(path)) !== null) {\n        throw fsError(\"EEXIST\"", "      if (false as boolean) {\n        throw fsError(\"EEXIST\""]]],
    "daytona-drops-cwd-env": ["exec drops cwd and env", [["        options?.cwd,\n        options?.env,\n", "        undefined,\n        undefined,\n"]]],
    "daytona-exit-code-lost": ["the exit code is reported as 0", [["exitCode: result.exitCode }", "exitCode: 0 }"]]],
    "daytona-seconds-floor": ["timeoutMs rounded down to seconds (1500 ms -> 1 s)", [["Math.ceil(ms / 1000)", "Math.floor(ms / 1000)"]]],
    "daytona-readdir-paths": ["readdir returns full paths", [["entries.map((entry) => entry.name)", "entries.map((entry) => entry.path ?? entry.name)"]]],
  },
  vercel: {
    ...common("vercel", ["return await raced(run(), signal)", "return await run()"]),
    "vercel-stat-drops-mtime": ["stat leaves out the mtime the sandbox reports", [["      mtime: s.mtime,\n", ""]]],
    "vercel-rm-nonempty": ["plain rm of a directory removes the whole tree", [["        await this.sandbox.fs.rmdir(path);", "        await this.sandbox.fs.rm(path, { recursive: true });"]]],
    "vercel-mkdir-always-recursive": ["mkdir is always recursive (accepts an existing path)", [["{ recursive: options?.recursive }", "{ recursive: true }"]]],
    "vercel-drops-cwd-env": ["exec drops cwd and env", [["          cwd: options?.cwd,\n          env: options?.env,\n", ""]]],
    "vercel-exit-code-lost": ["the exit code is reported as 0", [["exitCode: done.exitCode }", "exitCode: 0 }"]]],
    "vercel-signal-not-passed": ["the abort signal is not handed to Vercel", [["          signal,\n          ...(ms", "          ...(ms"]]],
  },
  modal: {
    ...common("modal", ["return await raced(run(), signal)", "return await run()"]),
    "modal-mtime-as-ms": ["Modal's Unix seconds read as milliseconds", [["mtime: new Date(info.modifiedTime * 1000),", "mtime: new Date(info.modifiedTime),"]]],
    "modal-rm-always-recursive": ["rm is always recursive (removes a non-empty directory)", [["      recursive: options?.recursive === true,", "      recursive: true,"]]],
    "modal-mkdir-always-parents": ["mkdir always creates parents (accepts an existing path)", [["      createParents: options?.recursive === true,", "      createParents: true,"]]],
    "modal-drops-cwd-env": ["exec drops cwd and env", [["          workdir: options?.cwd,\n          env: options?.env,\n", ""]]],
    "modal-exit-code-lost": ["the exit code is reported as 0", [["return { stdout, stderr, exitCode };", "return { stdout, stderr, exitCode: 0 };"]]],
    "modal-force-ignored": ["rm force does not tolerate a missing path", [["    if (options?.force && !(await this.exists(path))) return;\n", ""]]],
  },
};
export const CATALOG_MUTANTS = {};
for (const [blueprint, mutants] of Object.entries(CATALOG)) {
  for (const [name, [why, edits]] of Object.entries(mutants)) {
    CATALOG_MUTANTS[name] = { blueprint, suite: "catalog-behaviour", why, edits };
  }
}
CATALOG_MUTANTS["e2b-symlink-enum"] = {
  blueprint: "e2b",
  suite: "catalog-typecheck",
  why: "stat uses FileType.SYMLINK, which e2b 2.0 (the range's oldest) lacks",
  edits: [["...(info.symlinkTarget ? { isSymbolicLink: true } : {}),", "isSymbolicLink: info.type === FileType.SYMLINK,"]],
};

function writeCatalog(name, outDir) {
  const m = CATALOG_MUTANTS[name];
  const src = join(import.meta.dirname, "..", "..", "templates", "sandbox", m.blueprint, "v1.ts");
  let text = readFileSync(src, "utf8");
  for (const [from, to] of m.edits) {
    const count = text.split(from).length - 1;
    if (count !== 1) {
      throw new Error(`mutant ${name}: edit applies ${count} times to ${m.blueprint}/v1.ts: ${JSON.stringify(from)}`);
    }
    text = text.replace(from, () => to);
  }
  mkdirSync(join(outDir, m.blueprint), { recursive: true });
  writeFileSync(join(outDir, m.blueprint, "v1.ts"), text);
}

function write(name, templateDir, outDir) {
  if (CATALOG_MUTANTS[name]) return writeCatalog(name, outDir);
  const mutant = MUTANTS[name];
  if (!mutant) throw new Error(`unknown mutant ${name}`);
  mkdirSync(outDir, { recursive: true });
  for (const v of [1, 2]) {
    let text = readFileSync(join(templateDir, `v${v}.ts`), "utf8");
    for (const [versions, from, to] of mutant.edits) {
      if (!versions.includes(v)) continue;
      const count = text.split(from).length - 1;
      if (count !== 1) {
        throw new Error(`mutant ${name}: edit applies ${count} times to v${v}.ts: ${JSON.stringify(from)}`);
      }
      text = text.replace(from, () => to);
    }
    writeFileSync(join(outDir, `v${v}.ts`), text);
  }
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "list") {
  for (const [name, m] of Object.entries(MUTANTS)) console.log(`${name}\t${m.suite}\t${m.why}`);
  for (const [name, m] of Object.entries(CATALOG_MUTANTS)) console.log(`${name}\t${m.suite}:${m.blueprint}\t${m.why}`);
} else if (cmd === "write") {
  write(...args);
} else if (cmd !== undefined) {
  throw new Error(`usage: mutants.mjs list | write <name> <template-dir> <out-dir>`);
}
