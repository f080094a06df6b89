// Behaviour of the islo adapter against a SCRIPTED `islo` on PATH: a small
// sh script this suite writes, implementing the documented surface the
// adapter uses, `islo use <name> [--session <s>] -- <cmd> [args...]`, over a
// temp dir (the "sandbox" is the local machine, rooted there). The script
// passes argv through and exits with the command's code, as the adapter
// assumes of the real CLI.
//
// Run: FLUE_ADAPTER=<project>/build/sandboxes/islo.js FLUE_PROJECT=<project> \
//   node --test tests/ts/sdk/islo.test.mjs
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NASTY, loadAdapter, sleep } from "./helpers.mjs";

const MESSAGE = (ms) => `[flue:islo] Command timed out after ${ms} milliseconds.`;

const SCRIPT = `#!/bin/sh
# Scripted islo (test double of the CLI): islo use <name> [--session <s>] -- <cmd> [args...]
[ "$1" = use ] || { echo "islo: unknown command: $1" >&2; exit 2; }
shift
name=$1
shift
[ "$name" = "$ISLO_SCRIPTED_NAME" ] || { echo "islo: no sandbox named $name" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case $1 in
    --session|-s) printf '%s' "$2" > "$ISLO_SCRIPTED_LOG/session"; shift 2 ;;
    --) shift; break ;;
    *) echo "islo: unknown option: $1" >&2; exit 2 ;;
  esac
done
echo x >> "$ISLO_SCRIPTED_LOG/calls"
cd "$ISLO_SCRIPTED_ROOT" || exit 1
exec "$@"
`;

describe("islo adapter on a scripted islo CLI on PATH", () => {
  let dir, root, log, adapter, sandbox, driver, oldPath;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "flue-islo-"));
    root = join(dir, "workspace");
    log = join(dir, "log");
    mkdirSync(join(dir, "bin"));
    mkdirSync(root);
    mkdirSync(log);
    writeFileSync(join(dir, "bin", "islo"), SCRIPT);
    chmodSync(join(dir, "bin", "islo"), 0o755);
    oldPath = process.env.PATH;
    process.env.PATH = `${join(dir, "bin")}${delimiter}${oldPath}`;
    Object.assign(process.env, { ISLO_SCRIPTED_NAME: "box", ISLO_SCRIPTED_ROOT: root, ISLO_SCRIPTED_LOG: log });
    adapter = await loadAdapter();
    sandbox = await adapter.mod.islo("box", { cwd: root }).createSandbox({ id: "ctx-1" });
    await adapter.probed.islo("box", { cwd: root, session: "s 1" }).createSandbox({ id: "ctx-2" });
    driver = adapter.drivers.at(-1);
  });

  after(() => {
    process.env.PATH = oldPath;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("scripted: exec stdout, stderr and exit code; the named sandbox is used", async () => {
    const r = await sandbox.exec("echo out; echo err >&2; exit 3");
    assert.deepEqual(r, { stdout: "out\n", stderr: "err\n", exitCode: 3 });
    const other = await adapter.mod.islo("nope").createSandbox({ id: "x" });
    assert.equal((await other.exec("true")).exitCode, 1);
  });

  it("scripted: --session is passed", async () => {
    await driver.exec("true");
    assert.equal(readFileSync(join(log, "session"), "utf8"), "s 1");
  });

  it("scripted: cwd and env are applied and quoted", async () => {
    assert.equal((await sandbox.exec("pwd")).stdout.trim(), root);
    const nasty = join(root, NASTY[0]);
    mkdirSync(nasty);
    const r = await sandbox.exec('pwd; printf "%s|%s" "$A" "$B"', {
      cwd: nasty,
      env: { A: NASTY[0], B: "line\nbreak $(id)" },
    });
    assert.equal(r.stdout, `${nasty}\n${NASTY[0]}|line\nbreak $(id)`);
  });

  it("scripted: a timeout alone is exit 124 with the exact message, promptly", async () => {
    const t0 = Date.now();
    const r = await sandbox.exec("sleep 5", { timeoutMs: 150 });
    assert.deepEqual(r, { stdout: "", stderr: MESSAGE(150), exitCode: 124 });
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
  });

  it("scripted: on the driver the caller's abort wins and propagates its reason", async () => {
    const reason = new Error("caller gave up");
    const c = new AbortController();
    setTimeout(() => c.abort(reason), 100);
    await assert.rejects(driver.exec("sleep 5", { timeoutMs: 10_000, signal: c.signal }), (e) => e === reason);
    const both = new AbortController();
    both.abort(reason);
    await assert.rejects(driver.exec("sleep 5", { timeoutMs: 1, signal: both.signal }), (e) => e === reason);
  });

  it("scripted: an already aborted call starts no islo process", async () => {
    const before = readFileSync(join(log, "calls"), "utf8").length;
    const c = new AbortController();
    c.abort(new Error("early"));
    await assert.rejects(driver.exec(`touch '${join(root, "early")}'`, { signal: c.signal }));
    await sleep(200);
    assert.equal(readFileSync(join(log, "calls"), "utf8").length, before);
    assert.equal(existsSync(join(root, "early")), false);
  });

  it("scripted: env names that are not shell identifiers are rejected before running", async () => {
    const marker = join(root, "ran");
    await assert.rejects(
      sandbox.exec(`touch '${marker}'`, { env: { "A B": "x" } }),
      (err) => err instanceof adapter.runtime.SandboxOperationUnsupportedError,
    );
    assert.equal(existsSync(marker), false);
  });

  it("scripted: text, binary and large files round trip under nasty names", async () => {
    for (const name of NASTY) {
      const path = join(root, `f ${name}`);
      await sandbox.writeFile(path, `héllo ${name}\n`);
      assert.equal(await sandbox.readFile(path), `héllo ${name}\n`);
      assert.equal(readFileSync(path, "utf8"), `héllo ${name}\n`);
    }
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256);
    await sandbox.writeFile(join(root, "big.bin"), bytes);
    // Buffer.equals: assert's diff of 200 kB arrays takes minutes.
    const same = (a) => Buffer.from(a).equals(Buffer.from(bytes));
    assert.ok(same(readFileSync(join(root, "big.bin"))), "the file on disk differs");
    assert.ok(same(await sandbox.readFileBuffer(join(root, "big.bin"))), "readFileBuffer differs");
    await sandbox.writeFile(join(root, "empty"), "");
    assert.equal(readFileSync(join(root, "empty"), "utf8"), "");
  });

  it("scripted: stat fields; unknown ones omitted; ENOENT for missing", async () => {
    const path = join(root, "stat.txt");
    await sandbox.writeFile(path, "12345");
    const s = await sandbox.stat(path);
    assert.equal(s.isFile, true);
    assert.equal(s.isDirectory, false);
    assert.equal(s.size, 5);
    assert.ok(s.mtime instanceof Date && Math.abs(s.mtime.getTime() - Date.now()) < 60_000);
    assert.equal(s.isSymbolicLink, undefined);
    assert.equal((await sandbox.stat(root)).isDirectory, true);
    await assert.rejects(driver.stat(join(root, "missing")), { code: "ENOENT" });
  });

  it("scripted: readdir, exists, mkdir and rm with nasty names", async () => {
    const base = join(root, "tree");
    await sandbox.mkdir(join(base, NASTY[0], "deep"), { recursive: true });
    for (const name of NASTY.slice(1)) await sandbox.writeFile(join(base, name), "x");
    assert.deepEqual([...(await sandbox.readdir(base))].sort(), [...NASTY].sort());
    assert.equal(await sandbox.exists(join(base, NASTY[2])), true);
    assert.equal(await sandbox.exists(join(base, "nope")), false);
    await assert.rejects(driver.mkdir(join(base, NASTY[1])), { code: "EEXIST" });
    await assert.rejects(driver.readdir(join(base, NASTY[1])), { code: "ENOTDIR" });
    await sandbox.rm(join(base, NASTY[1]));
    assert.equal(existsSync(join(base, NASTY[1])), false);
    await assert.rejects(driver.rm(join(base, NASTY[0])), { code: "EISDIR" });
    await sandbox.rm(join(base, NASTY[0]), { recursive: true });
    assert.equal(existsSync(join(base, NASTY[0])), false);
    await sandbox.rm(join(base, "nope"), { force: true });
  });
});
