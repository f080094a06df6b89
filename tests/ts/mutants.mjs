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

function write(name, templateDir, outDir) {
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
} else if (cmd === "write") {
  write(...args);
} else if (cmd !== undefined) {
  throw new Error(`usage: mutants.mjs list | write <name> <template-dir> <out-dir>`);
}
