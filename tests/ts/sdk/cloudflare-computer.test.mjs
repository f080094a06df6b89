// Behaviour of the cloudflare-computer adapter against a STUB of the
// @cloudflare/computer surface it uses (a Workspace needs a Durable Object,
// which cannot run here). The stub follows the SDK's documented semantics
// (README and .d.ts of 0.8.x): `fs` is async over absolute paths, rejects
// with errno-style `code`s, `readFile(path)` is a ReadableStream and
// `readFile(path, "utf8")` a string, `readdir` returns dirents, `stat.mtime`
// is epoch milliseconds; `runtime.exec(source, options)` resolves to a handle
// with `result()`, `kill(signal)` and `[Symbol.dispose]()`.
//
// Run: FLUE_ADAPTER=<project>/build/sandboxes/cloudflare-computer.js \
//   FLUE_PROJECT=<project> node --test tests/ts/sdk/cloudflare-computer.test.mjs
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { loadAdapter, sleep } from "./helpers.mjs";

const MESSAGE = (ms) => `[flue:cloudflare-computer] Command timed out after ${ms} milliseconds.`;

const fsErr = (code, op, path) => Object.assign(new Error(`${code}: ${op} '${path}'`), { code });
const parentOf = (p) => p.slice(0, p.lastIndexOf("/")) || "/";

function stubWorkspace() {
  const files = new Map(); // path -> { bytes, mtime }
  const dirs = new Map([["/", Date.now()], ["/workspace", Date.now()]]);
  const calls = { exec: [], kill: [], dispose: 0, fs: [] };
  const need = (path, op) => {
    if (!path.startsWith("/")) throw fsErr("EINVAL", op, path);
    if (!dirs.has(parentOf(path))) throw fsErr("ENOENT", op, path);
  };
  const fs = {
    async readFile(path, encoding) {
      calls.fs.push(["readFile", path]);
      if (dirs.has(path)) throw fsErr("EISDIR", "readFile", path);
      const f = files.get(path);
      if (!f) throw fsErr("ENOENT", "readFile", path);
      if (encoding === "utf8") return new TextDecoder().decode(f.bytes);
      const bytes = f.bytes.slice();
      return new ReadableStream({
        start(c) {
          // Several chunks, as a real stream delivers them.
          for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
          c.close();
        },
      });
    },
    async writeFile(path, content) {
      calls.fs.push(["writeFile", path]);
      need(path, "writeFile");
      if (dirs.has(path)) throw fsErr("EISDIR", "writeFile", path);
      const bytes = typeof content === "string" ? new TextEncoder().encode(content) : new Uint8Array(content);
      // A fixed past mtime, so a Date made at read time cannot match it.
      files.set(path, { bytes, mtime: 1_700_000_000_123 });
    },
    async stat(path) {
      calls.fs.push(["stat", path]);
      const name = path.split("/").pop();
      if (dirs.has(path)) return { name, inode: 1, mode: 0o40755, mtime: dirs.get(path), size: 0, isFile: false, isDirectory: true, isSymbolicLink: false };
      const f = files.get(path);
      if (!f) throw fsErr("ENOENT", "stat", path);
      return { name, inode: 2, mode: 0o100644, mtime: f.mtime, size: f.bytes.length, isFile: true, isDirectory: false, isSymbolicLink: false };
    },
    async readdir(path) {
      calls.fs.push(["readdir", path]);
      if (files.has(path)) throw fsErr("ENOTDIR", "readdir", path);
      if (!dirs.has(path)) throw fsErr("ENOENT", "readdir", path);
      const prefix = path === "/" ? "/" : `${path}/`;
      const names = [...dirs.keys(), ...files.keys()]
        .filter((p) => p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes("/"))
        .map((p) => p.slice(prefix.length))
        .sort();
      return names.map((name) => ({ name, parentPath: path, size: 0, mtime: 0, isFile: files.has(prefix + name), isDirectory: dirs.has(prefix + name), isSymbolicLink: false }));
    },
    async mkdir(path, options) {
      calls.fs.push(["mkdir", path, options]);
      if (options?.recursive) {
        const parts = path.split("/").filter(Boolean);
        for (let i = 1; i <= parts.length; i++) {
          const p = `/${parts.slice(0, i).join("/")}`;
          if (files.has(p)) throw fsErr("ENOTDIR", "mkdir", p);
          if (!dirs.has(p)) dirs.set(p, Date.now());
        }
        return;
      }
      if (dirs.has(path) || files.has(path)) throw fsErr("EEXIST", "mkdir", path);
      need(path, "mkdir");
      dirs.set(path, Date.now());
    },
    async rm(path, options) {
      calls.fs.push(["rm", path, options]);
      if (files.delete(path)) return;
      if (!dirs.has(path)) {
        if (options?.force) return;
        throw fsErr("ENOENT", "rm", path);
      }
      const inside = [...dirs.keys(), ...files.keys()].filter((p) => p.startsWith(`${path}/`));
      if (!options?.recursive) throw fsErr("EISDIR", "rm", path);
      for (const p of inside) {
        files.delete(p);
        dirs.delete(p);
      }
      dirs.delete(path);
    },
  };
  // `runs` scripts the backend: source -> (options, killed) => Promise<result>.
  const runs = new Map();
  const runtime = {
    async exec(source, options) {
      calls.exec.push({ source, options });
      let onKill = () => {};
      const killed = new Promise((resolve) => (onKill = resolve));
      const script = runs.get(source) ?? (() => Promise.resolve({ exitCode: 127, stdout: "", stderr: `unknown: ${source}\n` }));
      const done = script(options, killed).then((r) => ({ status: r.exitCode === 0 ? "completed" : "failed", pushed: 0, pulled: 0, skipped: [], sync: { status: "complete", applied: 0, skipped: [] }, ...r }));
      return {
        id: `run-${calls.exec.length}`,
        backend: options?.backend ?? "worker-shell",
        result: () => done,
        async kill(signal) {
          calls.kill.push(signal);
          onKill(signal);
        },
        [Symbol.dispose]() {
          calls.dispose += 1;
        },
      };
    },
  };
  // A command that runs until killed (then "cancelled", as a backend says).
  runs.set("sleep 5", (_o, killed) =>
    Promise.race([sleep(5000).then(() => ({ exitCode: 0, stdout: "", stderr: "" })), killed.then(() => ({ status: "cancelled", exitCode: 137, stdout: "", stderr: "Killed\n" }))]),
  );
  return { fs, runtime, files, dirs, calls, runs };
}

describe("cloudflare-computer adapter on a stub Workspace (SDK semantics of 0.8.x)", () => {
  let adapter, ws, sandbox, driver;

  before(async () => {
    adapter = await loadAdapter();
    ws = stubWorkspace();
    sandbox = await adapter.mod.cloudflareComputer(ws).createSandbox({ id: "ctx-1" });
    await adapter.probed.cloudflareComputer(ws, { backend: "shell" }).createSandbox({ id: "ctx-2" });
    driver = adapter.drivers.at(-1);
  });

  it("stub: exec returns the run's stdout, stderr and exit code; cwd, env, backend passed; handle disposed", async () => {
    ws.runs.set("echo hi", (o) => Promise.resolve({ exitCode: 3, stdout: `hi ${o.cwd} ${o.env?.A}\n`, stderr: "e\n" }));
    const disposed = ws.calls.dispose;
    const r = await sandbox.exec("echo hi", { cwd: "/workspace/sub", env: { A: "b c" } });
    assert.deepEqual(r, { stdout: "hi /workspace/sub b c\n", stderr: "e\n", exitCode: 3 });
    assert.equal(ws.calls.exec.at(-1).options.encoding, "utf8");
    assert.equal(ws.calls.dispose, disposed + 1);
    await driver.exec("echo hi");
    assert.equal(ws.calls.exec.at(-1).options.backend, "shell");
    assert.equal(sandbox.cwd, "/workspace");
  });

  it("stub: a timeout alone kills the run and is exit 124 with the exact message", async () => {
    const kills = ws.calls.kill.length;
    const t0 = Date.now();
    const r = await sandbox.exec("sleep 5", { timeoutMs: 150 });
    assert.deepEqual(r, { stdout: "", stderr: MESSAGE(150), exitCode: 124 });
    assert.ok(Date.now() - t0 < 4000);
    assert.deepEqual(ws.calls.kill.slice(kills), ["SIGKILL"]);
  });

  it("stub: on the driver the caller's abort wins, kills the run and propagates its reason", async () => {
    const reason = new Error("caller gave up");
    const c = new AbortController();
    setTimeout(() => c.abort(reason), 100);
    const kills = ws.calls.kill.length;
    await assert.rejects(driver.exec("sleep 5", { timeoutMs: 10_000, signal: c.signal }), (e) => e === reason);
    assert.equal(ws.calls.kill.length, kills + 1);
    const both = new AbortController();
    both.abort(reason);
    const runs = ws.calls.exec.length;
    await assert.rejects(driver.exec("sleep 5", { timeoutMs: 1, signal: both.signal }), (e) => e === reason);
    assert.equal(ws.calls.exec.length, runs, "an already aborted call starts no run");
  });

  it("stub: a failing result() rejects (not 124)", async () => {
    ws.runs.set("boom", () => Promise.reject(new Error("no backend")));
    await assert.rejects(sandbox.exec("boom", { timeoutMs: 5000 }), /no backend/);
  });

  it("stub: text and binary files round trip (binary read from a chunked stream)", async () => {
    await sandbox.writeFile("/workspace/t.txt", "héllo ✓\n");
    assert.equal(await sandbox.readFile("/workspace/t.txt"), "héllo ✓\n");
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await sandbox.writeFile("/workspace/b.bin", bytes);
    assert.deepEqual(new Uint8Array(await sandbox.readFileBuffer("/workspace/b.bin")), bytes);
    await sandbox.writeFile("rel.txt", "relative");
    assert.equal(new TextDecoder().decode(ws.files.get("/workspace/rel.txt").bytes), "relative");
  });

  it("stub: stat maps the SDK's fields (mtime milliseconds to a Date)", async () => {
    await sandbox.writeFile("/workspace/s.txt", "12345");
    const s = await sandbox.stat("/workspace/s.txt");
    assert.equal(s.isFile, true);
    assert.equal(s.isDirectory, false);
    assert.equal(s.isSymbolicLink, false);
    assert.equal(s.size, 5);
    assert.equal(s.mtime.getTime(), ws.files.get("/workspace/s.txt").mtime);
    assert.equal((await sandbox.stat("/workspace")).isDirectory, true);
    await assert.rejects(driver.stat("/workspace/missing"), { code: "ENOENT" });
  });

  it("stub: readdir names, exists, mkdir and rm options passed through", async () => {
    await sandbox.mkdir("/workspace/d/e", { recursive: true });
    await sandbox.writeFile("/workspace/d/f", "x");
    assert.deepEqual(await sandbox.readdir("/workspace/d"), ["e", "f"]);
    assert.equal(await sandbox.exists("/workspace/d/f"), true);
    assert.equal(await sandbox.exists("/workspace/nope"), false);
    await assert.rejects(driver.mkdir("/workspace/d"), { code: "EEXIST" });
    await assert.rejects(driver.rm("/workspace/d"), { code: "EISDIR" });
    assert.equal(ws.dirs.has("/workspace/d"), true);
    await sandbox.rm("/workspace/d", { recursive: true });
    assert.equal(ws.dirs.has("/workspace/d/e"), false);
    await sandbox.rm("/workspace/nope", { force: true });
    await assert.rejects(driver.rm("/workspace/nope"), { code: "ENOENT" });
  });
});
