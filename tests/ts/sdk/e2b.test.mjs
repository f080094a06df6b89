// Behaviour of the generated E2B adapter against a stub of the `e2b` SDK
// surface it uses (sandbox.commands.run, sandbox.files.*), following E2B's
// documented semantics: `run` rejects a non-zero exit with CommandExitError
// and a command past its `timeoutMs` with TimeoutError; `makeDir` creates
// parents and returns false for an existing directory; `remove` takes a
// directory with its contents; `write` creates parents; `getInfo` may leave
// `modifiedTime` out. Errors are the SDK's own classes, from the project's
// node_modules. Interface: tests/ts/catalog.sh.
import assert from "node:assert/strict";
import { contractSuite } from "./lib/contract.mjs";
import { Tree, importFromProject, runSh } from "./lib/world.mjs";

const e2bSdk = await importFromProject("e2b");
const { CommandExitError, FileType, NotFoundError, TimeoutError } = e2bSdk;

function stubE2B() {
  const tree = new Tree();
  const calls = { exec: [] };
  const notFound = (path) => new NotFoundError(`path '${path}' does not exist`);
  const info = (path) => {
    const node = tree.get(path);
    if (!node) throw notFound(path);
    const name = Tree.norm(path).split("/").pop() || "/";
    return {
      name,
      path: Tree.norm(path),
      type: node.type === "dir" ? FileType.DIR : FileType.FILE,
      size: node.type === "dir" ? 4096 : node.data.length,
      mode: 0o644,
      permissions: "rw-r--r--",
      owner: "user",
      group: "user",
      ...(node.mtime ? { modifiedTime: node.mtime } : {}),
      ...(node.link ? { symlinkTarget: node.link } : {}),
    };
  };
  const files = {
    async read(path, opts) {
      const node = tree.get(path);
      if (!node) throw notFound(path);
      if (node.type === "dir") throw new Error(`path '${path}' is a directory`);
      if (opts?.format === "bytes") return new Uint8Array(node.data);
      if (opts?.format && opts.format !== "text") throw new Error("stub: format");
      return new TextDecoder().decode(node.data);
    },
    async write(path, data) {
      let bytes;
      if (typeof data === "string") bytes = new TextEncoder().encode(data);
      else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data.slice(0));
      else throw new TypeError("stub: E2B's write takes a string or ArrayBuffer");
      const node = tree.get(path);
      if (node?.type === "dir") throw new Error(`path '${path}' is a directory`);
      tree.mkdirs(Tree.parent(Tree.norm(path)), () => new Error("not a directory"));
      tree.put(path, { type: "file", data: bytes });
      return { name: path.split("/").pop(), path, type: FileType.FILE };
    },
    async list(path) {
      const node = tree.get(path);
      if (!node) throw notFound(path);
      if (node.type !== "dir") throw new Error(`path '${path}' is not a directory`);
      const base = Tree.norm(path) === "/" ? "" : Tree.norm(path);
      return tree.children(path).map((name) => info(`${base}/${name}`));
    },
    async makeDir(path) {
      if (tree.get(path)?.type === "dir") return false;
      tree.mkdirs(path, () => new Error(`path '${path}' is not a directory`));
      return true;
    },
    async remove(path) {
      if (!tree.get(path)) throw notFound(path);
      tree.drop(path);
    },
    async exists(path) {
      return tree.get(path) !== undefined;
    },
    async getInfo(path) {
      return info(path);
    },
  };
  const commands = {
    async run(cmd, opts = {}) {
      if (opts.background) throw new Error("stub: background not modelled");
      calls.exec.push({ command: cmd, cwd: opts.cwd, env: opts.envs, timeoutMs: opts.timeoutMs, signal: opts.signal });
      // E2B's default command limit is 60 s.
      const limit = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
      const signal = opts.signal ? AbortSignal.any([opts.signal, limit]) : limit;
      const r = await runSh(cmd, { env: opts.envs, signal }).catch((err) => {
        if (limit.aborted) throw new TimeoutError("[deadline_exceeded] context deadline exceeded");
        throw err;
      });
      if (limit.aborted) throw new TimeoutError("[deadline_exceeded] context deadline exceeded");
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (r.exitCode !== 0) {
        throw new CommandExitError({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, error: `exit status ${r.exitCode}` });
      }
      return { exitCode: 0, stdout: r.stdout, stderr: r.stderr };
    },
  };
  return { instance: { sandboxId: "stub", files, commands }, tree, calls };
}

contractSuite({
  name: "e2b",
  make: stubE2B,
  mergedOutput: false,
  passesSignal: false,
  extra(test, ctx) {
    test("stat: mtime left out when E2B reports none; link only when E2B says so", async () => {
      const { sandbox, stub } = ctx();
      await sandbox.writeFile("/work/k.txt", "k");
      const s = await sandbox.stat("/work/k.txt");
      assert.ok(s.mtime instanceof Date);
      assert.equal("isSymbolicLink" in s, false);
      stub.tree.put("/work/nomtime", { type: "dir", mtime: undefined });
      const d = await sandbox.stat("/work/nomtime");
      assert.equal(d.isDirectory, true);
      assert.equal("mtime" in d, false, "mtime must be omitted");
      stub.tree.put("/work/link", { type: "file", data: new Uint8Array(), link: "/work/k.txt" });
      assert.equal((await sandbox.stat("/work/link")).isSymbolicLink, true);
    });

    test("exec: a non-zero exit (CommandExitError) is a result, other errors propagate", async () => {
      const { driver, stub } = ctx();
      const r = await driver.exec("echo partial; exit 7");
      assert.deepEqual([r.exitCode, r.stdout], [7, "partial\n"]);
      const boom = new Error("sandbox is gone");
      stub.instance.commands.run = async () => {
        throw boom;
      };
      await assert.rejects(driver.exec("true", { timeoutMs: 1000 }), (err) => err === boom);
    });
  },
});
