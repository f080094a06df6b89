// Behaviour of the generated Vercel adapter against a stub of the
// `@vercel/sandbox` surface it uses (sandbox.runCommand, sandbox.fs.*),
// following its documented semantics: runCommand({ cmd, args, cwd, env,
// signal, timeoutMs }) runs a program (no shell line), kills it with SIGKILL
// at `timeoutMs` and resolves with its exit code; an abort of `signal`
// rejects; stdout()/stderr() read the output; `fs` follows Node's fs
// semantics (ENOENT/EEXIST/ENOTEMPTY codes, mkdir/rm with recursive/force,
// lstat returning Stats). Interface: tests/ts/catalog.sh.
import assert from "node:assert/strict";
import { contractSuite } from "./lib/contract.mjs";
import { Tree, runSh } from "./lib/world.mjs";

function nodeError(code, syscall, path) {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}

function stats(node) {
  const isDir = node.type === "dir";
  return {
    isFile: () => node.type === "file",
    isDirectory: () => isDir,
    isSymbolicLink: () => node.type === "symlink",
    size: isDir ? 4096 : node.data.length,
    mtime: node.mtime ?? new Date(0),
  };
}

function stubVercel() {
  const tree = new Tree();
  const calls = { exec: [] };
  const need = (path, syscall) => {
    const node = tree.get(path);
    if (!node) throw nodeError("ENOENT", syscall, path);
    return node;
  };
  const fs = {
    async readFile(path, options) {
      const node = need(path, "open");
      if (node.type === "dir") throw nodeError("EISDIR", "read", path);
      const buf = Buffer.from(node.data);
      const encoding = typeof options === "string" ? options : options?.encoding;
      return encoding ? buf.toString(encoding) : buf;
    },
    async writeFile(path, data) {
      const parent = tree.get(Tree.parent(Tree.norm(path)));
      if (!parent) throw nodeError("ENOENT", "open", path);
      if (tree.get(path)?.type === "dir") throw nodeError("EISDIR", "open", path);
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data);
      tree.put(path, { type: "file", data: bytes });
    },
    async mkdir(path, options) {
      if (options?.recursive) {
        const node = tree.get(path);
        if (node && node.type !== "dir") throw nodeError("EEXIST", "mkdir", path);
        tree.mkdirs(path, (code, at) => nodeError(code, "mkdir", at));
        return undefined;
      }
      if (tree.get(path)) throw nodeError("EEXIST", "mkdir", path);
      if (tree.get(Tree.parent(Tree.norm(path)))?.type !== "dir") throw nodeError("ENOENT", "mkdir", path);
      tree.put(path, { type: "dir" });
      return undefined;
    },
    async readdir(path) {
      const node = need(path, "scandir");
      if (node.type !== "dir") throw nodeError("ENOTDIR", "scandir", path);
      return tree.children(path);
    },
    async stat(path) {
      return stats(need(path, "stat"));
    },
    async lstat(path) {
      return stats(need(path, "lstat"));
    },
    async rmdir(path) {
      const node = need(path, "rmdir");
      if (node.type !== "dir") throw nodeError("ENOTDIR", "rmdir", path);
      if (tree.children(path).length > 0) throw nodeError("ENOTEMPTY", "rmdir", path);
      tree.drop(path);
    },
    async rm(path, options) {
      const node = tree.get(path);
      if (!node) {
        if (options?.force) return;
        throw nodeError("ENOENT", "rm", path);
      }
      if (node.type === "dir" && !options?.recursive) throw nodeError("EISDIR", "rm", path);
      tree.drop(path);
    },
  };
  async function runCommand(params) {
    if (typeof params === "string") throw new Error("stub: the adapter uses the params form");
    const { cmd, args, cwd, env, signal, timeoutMs } = params;
    assert.equal(cmd, "sh");
    assert.equal(args[0], "-c");
    calls.exec.push({ command: args[1], cwd, env, timeoutMs, signal });
    // The sandbox kills the command (SIGKILL) at timeoutMs.
    const limit = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    const both = [signal, limit].filter(Boolean);
    const r = await runSh(args[1], { env, signal: both.length ? AbortSignal.any(both) : undefined });
    if (signal?.aborted) throw signal.reason;
    const exitCode = limit?.aborted ? 137 : r.exitCode;
    return {
      exitCode,
      stdout: async () => r.stdout,
      stderr: async () => r.stderr,
    };
  }
  return { instance: { sandboxId: "stub", fs, runCommand }, tree, calls };
}

contractSuite({
  name: "vercel",
  make: stubVercel,
  mergedOutput: false,
  passesSignal: true,
  extra(test, ctx) {
    test("stat: size, mtime and link flag as the sandbox reports them", async () => {
      const { sandbox, stub } = ctx();
      await sandbox.writeFile("/work/k.txt", "kkk");
      const s = await sandbox.stat("/work/k.txt");
      assert.equal(s.size, 3);
      assert.equal(s.mtime.getTime(), stub.tree.get("/work/k.txt").mtime.getTime());
      assert.equal(s.isSymbolicLink, false);
      stub.tree.put("/work/l", { type: "symlink", data: new Uint8Array() });
      const l = await sandbox.stat("/work/l");
      assert.deepEqual([l.isSymbolicLink, l.isFile, l.isDirectory], [true, false, false]);
    });

    test("exec: runs `sh -c <command>` and tells the sandbox the limit", async () => {
      const { driver, stub } = ctx();
      await driver.exec("echo hi | tr a-z A-Z", { timeoutMs: 2000 });
      const call = stub.calls.exec.at(-1);
      assert.equal(call.command, "echo hi | tr a-z A-Z");
      assert.equal(call.timeoutMs, 2000);
    });
  },
});
