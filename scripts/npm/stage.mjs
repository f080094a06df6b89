// Writes the npm packages' folders, ready for `npm pack` / `npm publish`.
// The version comes from Cargo.toml, the platform list from npm/platforms.json.
//
//   node scripts/npm/stage.mjs version                     print the version
//   node scripts/npm/stage.mjs host                        print this host's platform key
//   node scripts/npm/stage.mjs main <dest>                 the `flueprint` package
//   node scripts/npm/stage.mjs platform <key> <bin> <dest> `@flueprint/<key>` holding <bin>
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const npmDir = path.join(repo, "npm");
const readJson = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const writeJson = (f, j) => fs.writeFileSync(f, `${JSON.stringify(j, null, 2)}\n`);

function die(msg) {
  console.error(`stage.mjs: ${msg}`);
  process.exit(1);
}

// `version = "…"` of Cargo.toml's [package] table: the one source of truth.
function version() {
  const text = fs.readFileSync(path.join(repo, "Cargo.toml"), "utf8");
  const pkg = text.split(/^\[/m).find((t) => t.startsWith("package]"));
  const m = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) die("no version in the [package] table of Cargo.toml");
  return m[1];
}

const platforms = () => readJson(path.join(npmDir, "platforms.json")).platforms;

function hostKey() {
  const libc =
    process.platform !== "linux"
      ? ""
      : process.report.getReport().header.glibcVersionRuntime
        ? "-gnu"
        : "-musl";
  return `${process.platform}-${process.arch}${libc}`;
}

function fresh(dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.join(dest, "bin"), { recursive: true });
}

function stageMain(dest) {
  const v = version();
  fresh(dest);
  const pkg = readJson(path.join(npmDir, "flueprint", "package.json"));
  const optional = {};
  for (const p of platforms()) optional[`@flueprint/${p.key}`] = v;
  const out = { name: pkg.name, version: v, ...pkg, optionalDependencies: optional };
  writeJson(path.join(dest, "package.json"), out);
  fs.copyFileSync(path.join(npmDir, "flueprint", "README.md"), path.join(dest, "README.md"));
  fs.copyFileSync(path.join(npmDir, "flueprint", "bin", "flueprint"), path.join(dest, "bin", "flueprint"));
  fs.chmodSync(path.join(dest, "bin", "flueprint"), 0o755);
}

function stagePlatform(key, bin, dest) {
  const p = platforms().find((x) => x.key === key);
  if (!p) die(`unknown platform ${key}; npm/platforms.json lists ${platforms().map((x) => x.key).join(", ")}`);
  if (!fs.existsSync(bin)) die(`binary not found: ${bin}`);
  fresh(dest);
  const template = readJson(path.join(npmDir, "platform", "package.json"));
  const out = { name: `@flueprint/${key}`, version: version(), ...template, os: [p.os], cpu: [p.cpu] };
  if (p.libc) out.libc = [p.libc];
  writeJson(path.join(dest, "package.json"), out);
  const readme = fs.readFileSync(path.join(npmDir, "platform", "README.md"), "utf8");
  fs.writeFileSync(path.join(dest, "README.md"), readme.replaceAll("PLATFORM", key));
  const exe = p.os === "win32" ? "flue.exe" : "flue";
  fs.copyFileSync(bin, path.join(dest, "bin", exe));
  fs.chmodSync(path.join(dest, "bin", exe), 0o755);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "version") console.log(version());
else if (cmd === "host") console.log(hostKey());
else if (cmd === "main" && args.length === 1) stageMain(args[0]);
else if (cmd === "platform" && args.length === 3) stagePlatform(...args);
else die("usage: stage.mjs version | host | main <dest> | platform <key> <binary> <dest>");
