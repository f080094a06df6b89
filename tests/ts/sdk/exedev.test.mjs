// Behaviour of the exedev adapter against a REAL OpenSSH server: the suite
// starts /usr/sbin/sshd on 127.0.0.1 (a free port, its own sshd_config,
// throwaway host and user keys in a temp dir) as the current user, connects
// an ssh2 Client to it and runs the adapter's sandbox on it. Nothing is
// installed here: scripts/ensure-openssh.sh provides sshd (.ci/run calls it).
//
// Run: FLUE_ADAPTER=<project>/build/sandboxes/exedev.js FLUE_PROJECT=<project> \
//   node --test tests/ts/sdk/exedev.test.mjs
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NASTY, importFromProject, loadAdapter, sleep } from "./helpers.mjs";

const SSHD = "/usr/sbin/sshd";
const MESSAGE = (ms) => `[flue:exedev] Command timed out after ${ms} milliseconds.`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startSshd(dir) {
  assert.ok(existsSync(SSHD), `${SSHD} is missing: run scripts/ensure-openssh.sh (Debian's openssh-server)`);
  const keygen = (file) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  keygen(join(dir, "host_key"));
  keygen(join(dir, "user_key"));
  writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "user_key.pub")));
  const port = await freePort();
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "UsePAM no",
      "",
    ].join("\n"),
  );
  // sshd's privilege separation directory (normally made by its service).
  if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true });
  const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  return { child, port, log: () => log };
}

async function connect(Client, port, key) {
  let last;
  for (let i = 0; i < 50; i++) {
    const client = new Client();
    try {
      await new Promise((resolve, reject) => {
        client.once("ready", resolve).once("error", reject);
        client.connect({ host: "127.0.0.1", port, username: userInfo().username, privateKey: key, readyTimeout: 5000 });
      });
      return client;
    } catch (err) {
      last = err;
      client.end();
      await sleep(100);
    }
  }
  throw new Error(`could not connect to the test sshd: ${last}`);
}

describe("exedev adapter on a real OpenSSH server (127.0.0.1)", () => {
  let dir, sshd, client, adapter, sandbox, driver, work;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "flue-exedev-"));
    sshd = await startSshd(dir);
    const { Client } = await importFromProject("ssh2");
    try {
      client = await connect(Client, sshd.port, readFileSync(join(dir, "user_key")));
    } catch (err) {
      throw new Error(`${err.message}\nsshd log:\n${sshd.log()}`);
    }
    adapter = await loadAdapter();
    work = join(dir, "work");
    mkdirSync(work);
    sandbox = await adapter.mod.exedev(client, { cwd: work }).createSandbox({ id: "ctx-1" });
    await adapter.probed.exedev(client, { cwd: work }).createSandbox({ id: "ctx-2" });
    driver = adapter.drivers.at(-1);
  });

  after(() => {
    client?.end();
    sshd?.child.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exec: stdout, stderr and exit code", async () => {
    const r = await sandbox.exec("echo out; echo err >&2; exit 3");
    assert.deepEqual(r, { stdout: "out\n", stderr: "err\n", exitCode: 3 });
  });

  it("exec: default cwd is the adapter's, cwd and env are applied and quoted", async () => {
    assert.equal((await sandbox.exec("pwd")).stdout.trim(), work);
    const nasty = join(work, NASTY[0]);
    mkdirSync(nasty);
    const r = await sandbox.exec('pwd; printf "%s|%s" "$A" "$B"', {
      cwd: nasty,
      env: { A: NASTY[0], B: "line\nbreak $(id)" },
    });
    assert.equal(r.stdout, `${nasty}\n${NASTY[0]}|line\nbreak $(id)`);
    assert.equal(r.exitCode, 0);
  });

  it("exec: a timeout alone is exit 124 with the exact message, promptly", async () => {
    const t0 = Date.now();
    const r = await sandbox.exec("sleep 5", { timeoutMs: 150 });
    assert.deepEqual(r, { stdout: "", stderr: MESSAGE(150), exitCode: 124 });
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
  });

  it("exec on the driver: the caller's abort wins and propagates its reason", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    setTimeout(() => controller.abort(reason), 100);
    const t0 = Date.now();
    await assert.rejects(driver.exec("sleep 5", { timeoutMs: 10_000, signal: controller.signal }), (err) => err === reason);
    assert.ok(Date.now() - t0 < 4000);
    // Aborted while the SSH channel is still opening.
    const opening = new AbortController();
    const pending = driver.exec("sleep 5", { signal: opening.signal });
    opening.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
    // Both fired by the time the driver looks: the abort wins, not 124.
    const both = new AbortController();
    both.abort(reason);
    await assert.rejects(driver.exec("sleep 5", { timeoutMs: 1, signal: both.signal }), (err) => err === reason);
  });

  it("exec on the driver: an already aborted call runs nothing", async () => {
    const c = new AbortController();
    c.abort(new Error("early"));
    await assert.rejects(driver.exec(`touch ${JSON.stringify(join(work, "early"))}`, { signal: c.signal }));
    await sleep(200);
    assert.equal(existsSync(join(work, "early")), false);
  });

  it("exec through the runtime: a caller abort rejects", async () => {
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    await assert.rejects(sandbox.exec("sleep 5", { signal: c.signal }));
  });

  it("exec: env names that are not shell identifiers are rejected before running", async () => {
    const marker = join(work, "ran");
    await assert.rejects(
      sandbox.exec(`touch '${marker}'`, { env: { "A-B": "x" } }),
      (err) => err instanceof adapter.runtime.SandboxOperationUnsupportedError,
    );
    assert.equal(existsSync(marker), false);
  });

  it("files: text and binary round trip under nasty names", async () => {
    for (const name of NASTY) {
      const path = join(work, `f ${name}`);
      await sandbox.writeFile(path, `héllo ${name}\n`);
      assert.equal(await sandbox.readFile(path), `héllo ${name}\n`);
      assert.equal(readFileSync(path, "utf8"), `héllo ${name}\n`);
    }
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await sandbox.writeFile(join(work, "bin"), bytes);
    assert.deepEqual(new Uint8Array(await sandbox.readFileBuffer(join(work, "bin"))), bytes);
    await sandbox.writeFile("rel.txt", "relative");
    assert.equal(readFileSync(join(work, "rel.txt"), "utf8"), "relative");
  });

  it("stat: type, size and mtime; missing paths reject with ENOENT", async () => {
    const path = join(work, "stat.txt");
    await sandbox.writeFile(path, "12345");
    const s = await sandbox.stat(path);
    assert.equal(s.isFile, true);
    assert.equal(s.isDirectory, false);
    assert.equal(s.size, 5);
    assert.ok(s.mtime instanceof Date && Math.abs(s.mtime.getTime() - Date.now()) < 60_000);
    assert.equal(s.isSymbolicLink, undefined, "the adapter does not know symlinks: omitted");
    const d = await sandbox.stat(work);
    assert.equal(d.isDirectory, true);
    assert.equal(d.isFile, false);
    await assert.rejects(driver.stat(join(work, "missing")), { code: "ENOENT" });
  });

  it("readdir, exists, mkdir and rm with nasty names", async () => {
    const base = join(work, "tree");
    await sandbox.mkdir(join(base, NASTY[0], "deep"), { recursive: true });
    for (const name of NASTY.slice(1)) await sandbox.writeFile(join(base, name), "x");
    const names = await sandbox.readdir(base);
    assert.deepEqual([...names].sort(), [...NASTY].sort());
    assert.equal(await sandbox.exists(join(base, NASTY[2])), true);
    assert.equal(await sandbox.exists(join(base, "nope")), false);
    await assert.rejects(driver.mkdir(join(base, NASTY[1])), { code: "EEXIST" });
    await assert.rejects(driver.readdir(join(base, NASTY[1])), { code: "ENOTDIR" });
    await sandbox.rm(join(base, NASTY[1]));
    assert.equal(existsSync(join(base, NASTY[1])), false);
    await assert.rejects(driver.rm(join(base, NASTY[0])), { code: "EISDIR" });
    await sandbox.rm(join(base, NASTY[0]), { recursive: true });
    assert.equal(existsSync(join(base, NASTY[0])), false);
    await assert.rejects(driver.rm(join(base, "nope")), { code: "ENOENT" });
    await sandbox.rm(join(base, "nope"), { force: true });
  });
});
