// Shared by the catalog behaviour suites (tests/ts/sdk/<name>.test.mjs).
//
// Interface: FLUE_ADAPTER = absolute path of the tsc-compiled adapter .js,
// inside FLUE_PROJECT, whose node_modules has @flue/runtime and the SDKs.
// loadAdapter() imports it twice: as compiled, and as a probed copy (next to
// it, so its imports resolve the same) whose @flue/runtime records each
// driver handed to sandboxFromDriver, so a test can call the adapter's own
// driver (from 2.0.3 the runtime's wrapper rejects on a caller abort by
// itself, masking the adapter's behaviour).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after } from "node:test";
import { pathToFileURL } from "node:url";

export const ADAPTER = process.env.FLUE_ADAPTER ?? "";
export const PROJECT = process.env.FLUE_PROJECT ?? "";

export function requireEnv() {
  assert.ok(ADAPTER && existsSync(ADAPTER), `FLUE_ADAPTER not a file: ${ADAPTER}`);
  assert.ok(PROJECT && existsSync(join(PROJECT, "package.json")), `FLUE_PROJECT has no package.json: ${PROJECT}`);
}

export const projectRequire = () => createRequire(join(PROJECT, "package.json"));

// ESM-only packages (@flue/runtime) have no `require` export: import them
// through a shim beside the adapter, which resolves as the adapter does.
export async function importFromProject(name) {
  requireEnv();
  const shim = join(dirname(ADAPTER), `.flue-probe-import-${process.pid}-${randomUUID().slice(0, 8)}.mjs`);
  writeFileSync(shim, `export * from ${JSON.stringify(name)};\nimport * as all from ${JSON.stringify(name)};\nexport default all;\n`);
  try {
    return (await import(pathToFileURL(shim).href)).default;
  } finally {
    rmSync(shim, { force: true });
  }
}

export async function loadAdapter() {
  requireEnv();
  const source = readFileSync(ADAPTER, "utf8");
  const tag = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const probe = join(dirname(ADAPTER), `.flue-probe-runtime-${tag}.mjs`);
  const copy = join(dirname(ADAPTER), `.flue-probe-adapter-${tag}.mjs`);
  writeFileSync(
    probe,
    [
      'import * as runtime from "@flue/runtime";',
      'export * from "@flue/runtime";',
      "export const drivers = [];",
      "export function sandboxFromDriver(driver, ...rest) {",
      "  drivers.push(driver);",
      "  return runtime.sandboxFromDriver(driver, ...rest);",
      "}",
      "",
    ].join("\n"),
  );
  const redirected = source.replace(/from "@flue\/runtime"/g, `from "./${probe.split("/").pop()}"`);
  assert.notEqual(redirected, source, "the adapter does not import @flue/runtime");
  writeFileSync(copy, redirected);
  after(() => {
    rmSync(probe, { force: true });
    rmSync(copy, { force: true });
  });
  const mod = await import(pathToFileURL(ADAPTER).href);
  const probed = await import(pathToFileURL(copy).href);
  const probeRuntime = await import(pathToFileURL(probe).href);
  const runtime = await importFromProject("@flue/runtime");
  return { mod, probed, drivers: probeRuntime.drivers, runtime };
}

// Names a remote shell must not interpret: quotes, $, backquotes, globs,
// spaces, a leading dash, a newline.
export const NASTY = [
  `it's "odd" $HOME \`id\` ;rm -rf *.txt`,
  "-n",
  "line\nbreak",
  "ümlaut ✓",
];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
