// Shared by the catalog's stub suites (tests/ts/sdk/<name>.test.mjs): the
// harness interface of tests/ts/catalog.sh (FLUE_ADAPTER, FLUE_PROJECT), a
// probe that captures the driver the adapter hands to sandboxFromDriver, an
// in-memory POSIX-like tree the provider stubs keep their files in, and a
// local `sh` the stubs run commands with (so stdout, stderr, exit codes,
// env and kills are real processes, not canned strings).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export const ADAPTER = required("FLUE_ADAPTER");
export const PROJECT = required("FLUE_PROJECT");

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through tests/ts/catalog.sh)`);
  return value;
}

// An ES module of the project's node_modules, resolved from FLUE_PROJECT
// (ESM-only packages have no `require` entry for createRequire to resolve,
// so the import runs from a module inside the project).
const importer = join(PROJECT, "build-probe", "import.mjs");
mkdirSync(dirname(importer), { recursive: true });
writeFileSync(importer, "export default (specifier) => import(specifier);\n");
const projectImport = (await import(pathToFileURL(importer).href)).default;

export async function importFromProject(specifier) {
  return projectImport(specifier);
}

// The compiled adapter, and a copy whose @flue/runtime import records every
// driver given to sandboxFromDriver (the driver's own exec is observable
// where the runtime's wrapper would mask it, SPEC §11).
export async function loadAdapter() {
  const runtime = await importFromProject("@flue/runtime");
  const adapter = await import(pathToFileURL(ADAPTER).href);
  const source = readFileSync(ADAPTER, "utf8");
  const probeDir = join(PROJECT, "build-probe");
  mkdirSync(probeDir, { recursive: true });
  const probe = join(probeDir, "runtime-probe.mjs");
  writeFileSync(
    probe,
    `import * as runtime from "@flue/runtime";
export * from "@flue/runtime";
export const drivers = [];
export function sandboxFromDriver(driver, ...rest) {
  drivers.push(driver);
  return runtime.sandboxFromDriver(driver, ...rest);
}
`,
  );
  const redirected = source.replace(/from "@flue\/runtime"/g, 'from "./runtime-probe.mjs"');
  if (redirected === source) throw new Error(`no @flue/runtime import in ${ADAPTER}`);
  const probed = join(probeDir, `${process.env.FLUE_BLUEPRINT ?? "adapter"}.js`);
  writeFileSync(probed, redirected);
  const probedAdapter = await import(pathToFileURL(probed).href);
  const probeModule = await import(pathToFileURL(probe).href);
  return { runtime, adapter, probedAdapter, drivers: probeModule.drivers };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// An in-memory tree: absolute, normalised paths -> { type, data, mtime }.

export class Tree {
  constructor() {
    this.nodes = new Map([["/", { type: "dir", mtime: new Date(0) }]]);
    this.mutations = 0;
  }
  static norm(path) {
    if (!path.startsWith("/")) throw new Error(`stub: path not absolute: ${path}`);
    const parts = [];
    for (const part of path.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") parts.pop();
      else parts.push(part);
    }
    return `/${parts.join("/")}`;
  }
  static parent(path) {
    const i = path.lastIndexOf("/");
    return i <= 0 ? "/" : path.slice(0, i);
  }
  get(path) {
    return this.nodes.get(Tree.norm(path));
  }
  children(path) {
    const p = Tree.norm(path);
    const prefix = p === "/" ? "/" : `${p}/`;
    return [...this.nodes.keys()]
      .filter((k) => k !== p && k.startsWith(prefix) && !k.slice(prefix.length).includes("/"))
      .map((k) => k.slice(prefix.length))
      .sort();
  }
  put(path, node) {
    this.mutations++;
    this.nodes.set(Tree.norm(path), { mtime: new Date(), ...node });
  }
  // Removes `path` and everything below it.
  drop(path) {
    const p = Tree.norm(path);
    this.mutations++;
    for (const k of [...this.nodes.keys()]) {
      if (k === p || k.startsWith(`${p}/`)) this.nodes.delete(k);
    }
  }
  // mkdir -p; throws (via `fail`) when a component is a file.
  mkdirs(path, fail) {
    let at = "";
    for (const part of Tree.norm(path).split("/").filter(Boolean)) {
      at += `/${part}`;
      const node = this.nodes.get(at);
      if (!node) this.put(at, { type: "dir" });
      else if (node.type !== "dir") throw fail("ENOTDIR", at);
    }
  }
}

// ---------------------------------------------------------------------------
// Commands: a real local `sh -c`, killed on abort. The sandbox's cwd is not
// a local path: the stubs record it, and run in a scratch directory.

export function runSh(command, { env, signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = spawn("sh", ["-c", command], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const onAbort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", reject);
    child.on("close", (code, killedBy) => {
      signal?.removeEventListener("abort", onAbort);
      resolve({ stdout, stderr, exitCode: code ?? 137, killedBy });
    });
  });
}
