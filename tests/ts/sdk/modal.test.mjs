// Behaviour of the generated Modal adapter against a stub of the `modal`
// SDK surface it uses (sandbox.exec, sandbox.filesystem.*), following
// Modal's documented semantics: exec(argv, { workdir, env, timeoutMs })
// takes no abort signal and returns a ContainerProcess whose stdout/stderr
// have readText() and whose wait() gives the exit code; makeDirectory with
// createParents false refuses an existing path and a missing parent;
// remove refuses a non-empty directory without `recursive`; stat reports
// type, size and modifiedTime in Unix seconds; paths must be absolute
// (SandboxFilesystem*Error classes from the project's `modal`).
// Interface: tests/ts/catalog.sh.
import assert from "node:assert/strict";
import { contractSuite } from "./lib/contract.mjs";
import { Tree, importFromProject, runSh } from "./lib/world.mjs";

const modalSdk = await importFromProject("modal");
const err = (Class, message) =>
  typeof Class === "function" ? new Class(message) : new Error(message);
const NotFound = (p) => err(modalSdk.SandboxFilesystemNotFoundError, `${p}: not found`);

function stubModal() {
  const tree = new Tree();
  const calls = { exec: [] };
  const abs = (path) => {
    if (!path.startsWith("/")) throw err(modalSdk.InvalidError, `path must be absolute: ${path}`);
    return path;
  };
  const need = (path) => {
    const node = tree.get(abs(path));
    if (!node) throw NotFound(path);
    return node;
  };
  const info = (path) => {
    const node = need(path);
    return {
      name: Tree.norm(path).split("/").pop() || "/",
      path: Tree.norm(path),
      type: node.type === "dir" ? "directory" : node.type,
      size: node.type === "dir" ? 4096 : node.data.length,
      mode: 0o644,
      permissions: "rw-r--r--",
      owner: "root",
      group: "root",
      modifiedTime: Math.floor((node.mtime ?? new Date(0)).getTime() / 1000),
      symlinkTarget: null,
    };
  };
  const write = (path, bytes) => {
    abs(path);
    if (tree.get(path)?.type === "dir") throw err(modalSdk.SandboxFilesystemIsADirectoryError, path);
    // Modal's write creates missing parent directories.
    tree.mkdirs(Tree.parent(Tree.norm(path)), () => err(modalSdk.SandboxFilesystemNotADirectoryError, path));
    tree.put(path, { type: "file", data: bytes });
  };
  const filesystem = {
    async readText(path) {
      const node = need(path);
      if (node.type === "dir") throw err(modalSdk.SandboxFilesystemIsADirectoryError, path);
      return new TextDecoder().decode(node.data);
    },
    async readBytes(path) {
      const node = need(path);
      if (node.type === "dir") throw err(modalSdk.SandboxFilesystemIsADirectoryError, path);
      return new Uint8Array(node.data);
    },
    async writeText(data, path) {
      if (typeof data !== "string") throw new TypeError("stub: writeText takes a string");
      write(path, new TextEncoder().encode(data));
    },
    async writeBytes(data, path) {
      write(path, new Uint8Array(data));
    },
    async stat(path) {
      return info(path);
    },
    async listFiles(path) {
      const node = need(path);
      if (node.type !== "dir") throw err(modalSdk.SandboxFilesystemNotADirectoryError, path);
      const base = Tree.norm(path) === "/" ? "" : Tree.norm(path);
      return tree.children(path).map((name) => info(`${base}/${name}`));
    },
    async makeDirectory(path, options) {
      abs(path);
      const parents = options?.createParents ?? true;
      if (parents) {
        tree.mkdirs(path, () => err(modalSdk.SandboxFilesystemNotADirectoryError, path));
        return;
      }
      if (tree.get(path)) throw err(modalSdk.SandboxFilesystemPathAlreadyExistsError, path);
      if (tree.get(Tree.parent(Tree.norm(path)))?.type !== "dir") throw NotFound(path);
      tree.put(path, { type: "dir" });
    },
    async remove(path, options) {
      const node = need(path);
      if (node.type === "dir" && !options?.recursive && tree.children(path).length > 0) {
        throw err(modalSdk.SandboxFilesystemDirectoryNotEmptyError, path);
      }
      tree.drop(path);
    },
  };
  async function exec(argv, params = {}) {
    assert.deepEqual(argv.slice(0, 2), ["sh", "-c"]);
    calls.exec.push({ command: argv[2], cwd: params.workdir, env: params.env, timeoutMs: params.timeoutMs });
    // Modal stops the process at timeoutMs (0 or absent: no limit).
    const signal = params.timeoutMs ? AbortSignal.timeout(params.timeoutMs) : undefined;
    const done = runSh(argv[2], { env: params.env, signal });
    const stream = (key) => ({ readText: async () => (await done)[key] });
    return {
      stdout: stream("stdout"),
      stderr: stream("stderr"),
      wait: async () => ((await done).killedBy ? 137 : (await done).exitCode),
    };
  }
  return { instance: { sandboxId: "stub", filesystem, exec }, tree, calls };
}

contractSuite({
  name: "modal",
  make: stubModal,
  mergedOutput: false,
  passesSignal: false,
  extra(test, ctx) {
    test("stat: mtime from Modal's Unix seconds; type mapping", async () => {
      const { sandbox, stub } = ctx();
      await sandbox.writeFile("/work/k.txt", "kkk");
      stub.tree.get("/work/k.txt").mtime = new Date(1_700_000_000_000);
      const s = await sandbox.stat("/work/k.txt");
      assert.equal(s.mtime.getTime(), 1_700_000_000_000);
      assert.equal(s.size, 3);
      stub.tree.put("/work/l", { type: "symlink", data: new Uint8Array() });
      const l = await sandbox.stat("/work/l");
      assert.deepEqual([l.isSymbolicLink, l.isFile, l.isDirectory], [true, false, false]);
    });
  },
});
