// Behaviour of the generated Daytona adapter against a stub of the
// `@daytona/sdk` surface it uses (sandbox.process.executeCommand,
// sandbox.fs.*), following Daytona's documented semantics: executeCommand
// takes (command, cwd, env, timeoutSeconds), has no abort signal, and
// returns { exitCode, result } with stdout and stderr in one stream;
// uploadFile takes a Buffer; getFileDetails reports isDir, size and modTime;
// deleteFile removes a directory only with `recursive`; a missing path is an
// error (DaytonaNotFoundError). Interface: tests/ts/catalog.sh.
import assert from "node:assert/strict";
import { contractSuite } from "./lib/contract.mjs";
import { Tree, runSh } from "./lib/world.mjs";

class StubNotFound extends Error {
  constructor(path) {
    super(`File not found: ${path}`);
    this.statusCode = 404;
  }
}

function stubDaytona() {
  const tree = new Tree();
  const calls = { exec: [], createFolder: [] };
  const details = (path) => {
    const node = tree.get(path);
    if (!node) throw new StubNotFound(path);
    return {
      name: Tree.norm(path).split("/").pop() || "/",
      path: Tree.norm(path),
      isDir: node.type === "dir",
      size: node.type === "dir" ? 4096 : node.data.length,
      modTime: node.mtime ? node.mtime.toISOString() : "",
      modifiedAt: node.mtime ? node.mtime.toISOString() : "",
      mode: "0644",
      permissions: "-rw-r--r--",
      owner: "daytona",
      group: "daytona",
    };
  };
  const fs = {
    async downloadFile(path) {
      const node = tree.get(path);
      if (!node) throw new StubNotFound(path);
      if (node.type === "dir") throw new Error(`${path} is a directory`);
      return Buffer.from(node.data);
    },
    async uploadFile(file, path) {
      if (!Buffer.isBuffer(file)) throw new TypeError("stub: uploadFile takes a Buffer here");
      if (tree.get(path)?.type === "dir") throw new Error(`${path} is a directory`);
      tree.mkdirs(Tree.parent(Tree.norm(path)), () => new Error("not a directory"));
      tree.put(path, { type: "file", data: new Uint8Array(file) });
    },
    async getFileDetails(path) {
      return details(path);
    },
    async listFiles(path) {
      const node = tree.get(path);
      if (!node) throw new StubNotFound(path);
      if (node.type !== "dir") throw new Error(`${path} is not a directory`);
      const base = Tree.norm(path) === "/" ? "" : Tree.norm(path);
      return tree.children(path).map((name) => details(`${base}/${name}`));
    },
    async createFolder(path, mode) {
      calls.createFolder.push({ path, mode });
      tree.mkdirs(path, () => new Error(`${path}: not a directory`));
    },
    async deleteFile(path, recursive) {
      const node = tree.get(path);
      if (!node) throw new StubNotFound(path);
      if (node.type === "dir" && !recursive) throw new Error(`${path} is a directory: recursive required`);
      tree.drop(path);
    },
  };
  const proc = {
    async executeCommand(command, cwd, env, timeout) {
      calls.exec.push({ command, cwd, env, timeoutMs: timeout === undefined ? undefined : timeout * 1000, timeoutSeconds: timeout });
      // Daytona ends the command after `timeout` seconds (0: no limit).
      const signal = timeout ? AbortSignal.timeout(timeout * 1000) : undefined;
      const r = await runSh(`exec 2>&1\n${command}`, { env, signal });
      if (signal?.aborted) return { exitCode: -1, result: r.stdout };
      return { exitCode: r.exitCode, result: r.stdout, artifacts: { stdout: r.stdout } };
    },
  };
  return { instance: { id: "stub", fs, process: proc }, tree, calls };
}

contractSuite({
  name: "daytona",
  make: stubDaytona,
  mergedOutput: true,
  passesSignal: false,
  extra(test, ctx) {
    test("exec: timeoutMs reaches Daytona in whole seconds, rounded up", async () => {
      const { driver, stub } = ctx();
      await driver.exec("true", { timeoutMs: 1500 });
      assert.equal(stub.calls.exec.at(-1).timeoutSeconds, 2);
      await driver.exec("true", { timeoutMs: 10 });
      assert.equal(stub.calls.exec.at(-1).timeoutSeconds, 1, "never 0 (no limit)");
      await driver.exec("true");
      assert.equal(stub.calls.exec.at(-1).timeoutSeconds, undefined);
    });

    test("stat: mtime left out when modTime does not parse; size reported", async () => {
      const { sandbox, stub } = ctx();
      await sandbox.writeFile("/work/k.txt", "kk");
      const s = await sandbox.stat("/work/k.txt");
      assert.ok(s.mtime instanceof Date && !Number.isNaN(s.mtime.getTime()));
      assert.equal(s.size, 2);
      stub.tree.put("/work/nomtime", { type: "dir", mtime: undefined });
      const d = await sandbox.stat("/work/nomtime");
      assert.equal(d.isDirectory, true);
      assert.equal("mtime" in d, false, "mtime must be omitted");
    });

    test("mkdir: recursive refuses a file in the way, untouched", async () => {
      const { sandbox, stub } = ctx();
      await sandbox.writeFile("/work/r-file", "keep");
      const before = stub.tree.mutations;
      await assert.rejects(sandbox.mkdir("/work/r-file/x", { recursive: true }));
      assert.equal(stub.tree.mutations, before);
      assert.equal(await sandbox.readFile("/work/r-file"), "keep");
    });
  },
});
