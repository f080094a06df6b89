// The driver contract every catalog adapter keeps (SPEC §14), as node:test
// cases against a provider stub, through the sandbox the Flue runtime builds
// with sandboxFromDriver (and, where the runtime's wrapper would mask it, on
// the driver the adapter handed to sandboxFromDriver).
//
// contractSuite({
//   name,                  blueprint name (timeout message, test titles)
//   make(),                -> { instance, tree, calls } a fresh stub:
//                             instance is what the adapter wraps, tree its
//                             files (world.mjs Tree), calls.exec the exec
//                             calls as { command, cwd, env, timeoutMs, signal }
//   mergedOutput,          the provider returns stderr inside stdout
//   passesSignal,          the adapter hands the caller's signal to the SDK
// })
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadAdapter, sleep } from "./world.mjs";

export function contractSuite(opts) {
  const { name } = opts;
  const test = (title, fn) => it(`[stub ${name}] ${title}`, { timeout: 20_000 }, fn);
  const message = (ms) => `[flue:${name}] Command timed out after ${ms} milliseconds.`;

  describe(`${name} adapter against a stub of its SDK`, () => {
    let mod, stub, sandbox, driver, keepAlive;

    // A fresh stub, the sandbox the runtime builds, and the adapter's driver.
    async function fresh(options) {
      stub = opts.make();
      const factory = mod.probedAdapter[name](stub.instance, options);
      sandbox = await factory.createSandbox({ id: "ctx-1" });
      driver = mod.drivers.at(-1);
      return { stub, sandbox, driver };
    }

    before(async () => {
      // AbortSignal.timeout timers do not keep the event loop alive.
      keepAlive = setInterval(() => {}, 1000);
      mod = await loadAdapter();
      await fresh({ cwd: "/work" });
      stub.tree.mkdirs("/work", () => new Error("setup"));
    });
    after(() => clearInterval(keepAlive));

    test("factory: createSandbox wraps the given instance, cwd from options", async () => {
      assert.equal(typeof mod.adapter[name], "function");
      assert.equal(sandbox.cwd, "/work");
      assert.ok(driver, "the adapter built its sandbox with sandboxFromDriver");
      const { sandbox: other } = await fresh();
      assert.equal(typeof other.cwd, "string");
      await fresh({ cwd: "/work" });
      stub.tree.mkdirs("/work", () => new Error("setup"));
    });

    test("exec: stdout, stderr and exit code", async () => {
      const r = await sandbox.exec("echo out; echo err >&2; exit 3");
      assert.equal(r.exitCode, 3);
      if (opts.mergedOutput) {
        assert.equal(r.stdout, "out\nerr\n");
        assert.equal(r.stderr, "");
      } else {
        assert.equal(r.stdout, "out\n");
        assert.equal(r.stderr, "err\n");
      }
      const ok = await sandbox.exec("printf 'a b'");
      assert.deepEqual([ok.stdout, ok.exitCode], ["a b", 0]);
    });

    test("exec: cwd (resolved by the runtime) and env reach the provider", async () => {
      const r = await sandbox.exec('echo "$FOO"', { cwd: "sub", env: { FOO: "bar baz" } });
      assert.equal(r.stdout, "bar baz\n");
      const call = stub.calls.exec.at(-1);
      assert.equal(call.cwd, "/work/sub");
      assert.equal(call.env?.FOO, "bar baz");
      assert.equal(call.command, 'echo "$FOO"');
      await sandbox.exec("true");
      assert.equal(stub.calls.exec.at(-1).cwd, "/work", "default: the sandbox cwd");
    });

    test("exec: the timeout alone gives exit 124 and the exact message", async () => {
      for (const target of [sandbox, driver]) {
        const t0 = Date.now();
        const r = await target.exec("sleep 5", { timeoutMs: 150 });
        assert.equal(r.exitCode, 124);
        assert.equal(r.stderr, message(150));
        assert.equal(r.stdout, "");
        assert.ok(Date.now() - t0 < 3000, "timeoutMs is milliseconds");
      }
      const call = stub.calls.exec.at(-1);
      assert.ok(call.timeoutMs !== undefined, "the provider is told the limit too");
      // A command that exits 124 by itself is its own result, not a timeout.
      const own = await driver.exec("echo x >&2; exit 124", { timeoutMs: 5000 });
      assert.equal(own.exitCode, 124);
      assert.notEqual(own.stderr, message(5000));
      // No timeoutMs: no limit from the adapter.
      const quick = await driver.exec("sleep 0.3; echo done");
      assert.equal(quick.stdout.trim().split("\n")[0], "done");
    });

    test("exec: a caller abort rejects with the caller's reason", async () => {
      const reason = new Error("caller gave up");
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 100);
      const t0 = Date.now();
      await assert.rejects(
        driver.exec("sleep 5", { signal: controller.signal, timeoutMs: 4000 }),
        (err) => err === reason,
      );
      assert.ok(Date.now() - t0 < 3000, "rejects without waiting for the command");
      if (opts.passesSignal) {
        assert.equal(stub.calls.exec.at(-1).signal?.aborted, true, "the SDK saw the abort");
      }
      const pre = new AbortController();
      pre.abort(reason);
      await assert.rejects(driver.exec("echo never", { signal: pre.signal }), (err) => err === reason);
      // Through the runtime too.
      const viaRuntime = new AbortController();
      setTimeout(() => viaRuntime.abort(reason), 100);
      await assert.rejects(sandbox.exec("sleep 5", { signal: viaRuntime.signal }));
    });

    test("exec: the caller's abort wins when the timeout fired too", async () => {
      // The caller aborts in the same instant the timeout fires (a listener
      // on the adapter's own timeout signal): both have fired when the
      // adapter decides, and the caller must win.
      const reason = new Error("caller first");
      const controller = new AbortController();
      const original = AbortSignal.timeout;
      AbortSignal.timeout = (ms) => {
        const s = original.call(AbortSignal, ms);
        s.addEventListener("abort", () => controller.abort(reason));
        return s;
      };
      try {
        await assert.rejects(
          driver.exec("sleep 5", { timeoutMs: 100, signal: controller.signal }),
          (err) => err === reason,
        );
      } finally {
        AbortSignal.timeout = original;
      }
    });

    test("writeFile/readFile and readFileBuffer round trips (relative paths too)", async () => {
      await sandbox.writeFile("/work/t.txt", "héllo ✓\n");
      assert.equal(await sandbox.readFile("/work/t.txt"), "héllo ✓\n");
      await sandbox.writeFile("rel.txt", "relative");
      assert.equal(await sandbox.readFile("/work/rel.txt"), "relative");
      const bytes = new Uint8Array([0, 1, 2, 127, 128, 254, 255]);
      await sandbox.writeFile("/work/b.bin", bytes);
      const back = await sandbox.readFileBuffer("/work/b.bin");
      assert.ok(back instanceof Uint8Array);
      assert.deepEqual([...back], [...bytes]);
      assert.deepEqual([...stub.tree.get("/work/b.bin").data], [...bytes], "stored bytes");
      await assert.rejects(sandbox.readFile("/work/missing.txt"));
    });

    test("writeFile creates missing parents", async () => {
      await sandbox.writeFile("/work/p/q/r.txt", "deep");
      assert.equal(await sandbox.readFile("/work/p/q/r.txt"), "deep");
      assert.equal((await sandbox.stat("/work/p/q")).isDirectory, true);
    });

    test("stat: files and directories", async () => {
      await sandbox.writeFile("/work/s.txt", "12345");
      const s = await sandbox.stat("/work/s.txt");
      assert.equal(s.isFile, true);
      assert.equal(s.isDirectory, false);
      assert.equal(s.size, 5);
      const d = await sandbox.stat("/work");
      assert.equal(d.isDirectory, true);
      assert.equal(d.isFile, false);
      await assert.rejects(sandbox.stat("/work/missing"));
    });

    test("readdir lists entry names; exists never throws", async () => {
      await sandbox.mkdir("/work/ls");
      await sandbox.writeFile("/work/ls/a.txt", "a");
      await sandbox.mkdir("/work/ls/sub");
      assert.deepEqual((await sandbox.readdir("/work/ls")).sort(), ["a.txt", "sub"]);
      assert.deepEqual(await sandbox.readdir("/work/ls/sub"), []);
      assert.equal(await sandbox.exists("/work/ls/a.txt"), true);
      assert.equal(await sandbox.exists("/work/ls"), true);
      assert.equal(await sandbox.exists("/work/nope"), false);
    });

    test("mkdir: plain refuses an existing path or a missing parent, untouched", async () => {
      await sandbox.mkdir("/work/m1");
      assert.equal((await sandbox.stat("/work/m1")).isDirectory, true);
      await sandbox.writeFile("/work/m-file", "keep");
      const before = stub.tree.mutations;
      await assert.rejects(sandbox.mkdir("/work/m1"), "existing directory");
      await assert.rejects(sandbox.mkdir("/work/m-file"), "existing file");
      await assert.rejects(sandbox.mkdir("/work/m2/child"), "missing parent");
      assert.equal(stub.tree.mutations, before, "nothing was changed");
      assert.equal(await sandbox.exists("/work/m2"), false);
      assert.equal(await sandbox.readFile("/work/m-file"), "keep");
    });

    test("mkdir: recursive creates parents and tolerates existing directories", async () => {
      await sandbox.mkdir("/work/r1/r2/r3", { recursive: true });
      assert.equal((await sandbox.stat("/work/r1/r2/r3")).isDirectory, true);
      await sandbox.mkdir("/work/r1/r2/r3", { recursive: true });
      await sandbox.mkdir("/work/r1", { recursive: true });
    });

    test("rm: a file, an empty directory; a non-empty one refused untouched", async () => {
      await sandbox.writeFile("/work/gone.txt", "x");
      await sandbox.rm("/work/gone.txt");
      assert.equal(await sandbox.exists("/work/gone.txt"), false);
      await sandbox.mkdir("/work/gonedir");
      await sandbox.rm("/work/gonedir");
      assert.equal(await sandbox.exists("/work/gonedir"), false);
      await sandbox.writeFile("/work/full/f.txt", "f");
      const before = stub.tree.mutations;
      await assert.rejects(sandbox.rm("/work/full"));
      assert.equal(stub.tree.mutations, before, "nothing was changed");
      assert.equal(await sandbox.readFile("/work/full/f.txt"), "f");
    });

    test("rm: recursive removes a tree; force tolerates a missing path", async () => {
      await sandbox.writeFile("/work/tree/a/b.txt", "b");
      await sandbox.rm("/work/tree", { recursive: true });
      assert.equal(await sandbox.exists("/work/tree"), false);
      assert.equal(stub.tree.get("/work/tree/a/b.txt"), undefined);
      await assert.rejects(sandbox.rm("/work/never-was"));
      await sandbox.rm("/work/never-was", { force: true });
      await sandbox.writeFile("/work/forced.txt", "x");
      await sandbox.rm("/work/forced.txt", { force: true });
      assert.equal(await sandbox.exists("/work/forced.txt"), false);
    });

    if (opts.extra) opts.extra(test, () => ({ mod, stub, sandbox, driver }));
  });
}

export { sleep };
