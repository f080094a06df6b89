#!/usr/bin/env python3
"""Generates the benchmark's monorepo: a pnpm workspace with exactly
`--files` regular files around the package under test (`packages/app`).

Layout (deterministic, seeded):
  package.json, pnpm-workspace.yaml, pnpm-lock.yaml, tsconfig.json
  packages/pkg-NNN/{package.json,tsconfig.json,src/*.ts}   sibling packages
  node_modules/.pnpm/<name>@<ver>/node_modules/<name>/...  the store, most files
  node_modules/<name> -> .pnpm/...                          hoisted symlinks
  packages/*/node_modules/<dep> -> ../../../node_modules/.pnpm/...
  packages/app/  the small Flue project, with node_modules/@flue/runtime
                 linked into the store (as pnpm installs it)

The lockfile lists every store package with an integrity hash and a
snapshot, like a real pnpm v9 lockfile of that size.

Usage: gen_monorepo.py DEST APP_TEMPLATE [--files N]
DEST must not exist; the caller renames it into place when this succeeds.
"""

import base64
import hashlib
import json
import os
import random
import sys

SIBLINGS = 150
FILES_PER_SIBLING = 20  # package.json, tsconfig.json, 18 sources
STORE_PACKAGES = 1600

WORDS = (
    "core util http json yaml parse stream async path glob fs cli log color "
    "string array object date time url query cache queue event emitter hash "
    "crypto buffer base64 schema types config env ansi regex semver diff "
    "merge clone deep is has get set map filter debounce throttle retry"
).split()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def integrity(name):
    digest = hashlib.sha512(name.encode()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def main(argv):
    args = list(argv)
    total = 100_000
    if "--files" in args:
        i = args.index("--files")
        total = int(args[i + 1])
        del args[i : i + 2]
    dest, template = args
    rng = random.Random(20240611)
    os.makedirs(dest)
    count = 0

    # --- store packages: names, versions, dependencies
    store = []  # (name, version, deps[list of (name, version)])
    seen = set()
    while len(store) < STORE_PACKAGES:
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        if rng.random() < 0.25:
            name = f"@{a}/{b}-{rng.choice(WORDS)}"
        else:
            name = f"{a}-{b}" if a != b else a
        if name in seen:
            continue
        seen.add(name)
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
        store.append([name, version, []])
    store.append(["@flue/runtime", "2.1.0", []])
    store.append(["typescript", "5.6.3", []])
    store.append(["zod", "3.23.8", []])
    for entry in store:
        for _ in range(rng.choice([0, 0, 1, 2, 3, 4, 6])):
            dep = rng.choice(store)
            if dep is not entry and (dep[0], dep[1]) not in entry[2]:
                entry[2].append((dep[0], dep[1]))

    def store_dir(name, version):
        return os.path.join("node_modules", ".pnpm", f"{name.replace('/', '+')}@{version}", "node_modules", name)

    # --- root files
    write(
        os.path.join(dest, "package.json"),
        json.dumps(
            {
                "name": "bench-monorepo",
                "private": True,
                "scripts": {"build": "pnpm -r build", "typecheck": "pnpm -r typecheck"},
                "devDependencies": {"typescript": "^5.6.3"},
                "packageManager": "pnpm@9.15.0",
            },
            indent=2,
        )
        + "\n",
    )
    write(os.path.join(dest, "pnpm-workspace.yaml"), 'packages:\n  - "packages/*"\n')
    write(os.path.join(dest, "tsconfig.json"), '{\n  "compilerOptions": { "strict": true }\n}\n')
    count += 3  # the lockfile is counted when written

    # --- sibling packages
    sibling_deps = {}
    for i in range(SIBLINGS):
        pkg = os.path.join(dest, "packages", f"pkg-{i:03d}")
        os.makedirs(os.path.join(pkg, "src"))
        deps = rng.sample(store[:STORE_PACKAGES], rng.randint(2, 8))
        sibling_deps[f"packages/pkg-{i:03d}"] = deps
        write(
            os.path.join(pkg, "package.json"),
            json.dumps(
                {
                    "name": f"@bench/pkg-{i:03d}",
                    "version": "0.0.0",
                    "private": True,
                    "type": "module",
                    "dependencies": {d[0]: f"^{d[1]}" for d in deps},
                },
                indent=2,
            )
            + "\n",
        )
        write(os.path.join(pkg, "tsconfig.json"), '{ "extends": "../../tsconfig.json" }\n')
        for j in range(FILES_PER_SIBLING - 2):
            write(
                os.path.join(pkg, "src", f"{rng.choice(WORDS)}-{j}.ts"),
                f"export const value{j} = {j};\n",
            )
        nm = os.path.join(pkg, "node_modules")
        for d in deps:
            link = os.path.join(nm, d[0])
            os.makedirs(os.path.dirname(link), exist_ok=True)
            os.symlink(os.path.join("..", "..", "..") + "/" + store_dir(d[0], d[1]) if "/" not in d[0]
                       else os.path.join("..", "..", "..", "..") + "/" + store_dir(d[0], d[1]), link)
        count += FILES_PER_SIBLING

    # --- the store: spread the remaining files over the packages
    lock_size_guess = 1
    remaining = total - count - lock_size_guess
    n = len(store)
    weights = [rng.paretovariate(1.3) for _ in range(n)]
    scale = (remaining - n) / sum(weights)  # every package has a package.json
    extra = [int(w * scale) for w in weights]
    extra[0] += (remaining - n) - sum(extra)
    for (name, version, deps), k in zip(store, extra):
        base = os.path.join(dest, store_dir(name, version))
        os.makedirs(base)
        write(
            os.path.join(base, "package.json"),
            json.dumps({"name": name, "version": version, "main": "dist/index.js"}, indent=2) + "\n",
        )
        count += 1
        made = set()
        for j in range(k):
            sub = ("dist", "lib", "types", "dist/esm", "dist/cjs", "src")[j % 6]
            d = os.path.join(base, sub, f"d{j // 60}") if k > 120 else os.path.join(base, sub)
            if d not in made:
                os.makedirs(d, exist_ok=True)
                made.add(d)
            ext = (".js", ".js", ".d.ts", ".mjs", ".cjs", ".ts")[j % 6]
            write(os.path.join(d, f"f{j}{ext}"), f"module.exports = {j};\n")
            count += 1
        # the package's own dependencies, as pnpm links them
        for dep_name, dep_version in deps:
            link = os.path.join(dest, "node_modules", ".pnpm", f"{name.replace('/', '+')}@{version}", "node_modules", dep_name)
            if os.path.lexists(link):
                continue
            os.makedirs(os.path.dirname(link), exist_ok=True)
            up = "../" * (dep_name.count("/") + 1)
            os.symlink(f"{up}../{dep_name.replace('/', '+')}@{dep_version}/node_modules/{dep_name}", link)

    # hoisted root links
    for name, version in (("typescript", "5.6.3"),):
        os.symlink(f".pnpm/{name}@{version}/node_modules/{name}", os.path.join(dest, "node_modules", name))

    # --- the lockfile
    lines = [
        "lockfileVersion: '9.0'",
        "",
        "settings:",
        "  autoInstallPeers: true",
        "  excludeLinksFromLockfile: false",
        "",
        "importers:",
        "",
        "  .:",
        "    devDependencies:",
        "      typescript:",
        "        specifier: ^5.6.3",
        "        version: 5.6.3",
        "",
        "  packages/app:",
        "    dependencies:",
        "      '@flue/runtime':",
        "        specifier: ^2.1.0",
        "        version: 2.1.0",
        "",
    ]
    for key in sorted(sibling_deps):
        lines.append(f"  {key}:")
        lines.append("    dependencies:")
        for d in sorted(sibling_deps[key]):
            lines.append(f"      '{d[0]}':")
            lines.append(f"        specifier: ^{d[1]}")
            lines.append(f"        version: {d[1]}")
        lines.append("")
    lines += ["packages:", ""]
    ordered = sorted(store, key=lambda e: (e[0], e[1]))
    for name, version, deps in ordered:
        lines.append(f"  '{name}@{version}':")
        lines.append(f"    resolution: {{integrity: {integrity(name + version)}}}")
        if rng.random() < 0.4:
            lines.append(f"    engines: {{node: '>={rng.choice([12, 14, 16, 18])}'}}")
        if rng.random() < 0.05:
            lines.append("    hasBin: true")
        lines.append("")
    lines += ["snapshots:", ""]
    for name, version, deps in ordered:
        if not deps:
            lines.append(f"  '{name}@{version}': {{}}")
        else:
            lines.append(f"  '{name}@{version}':")
            lines.append("    dependencies:")
            for dep_name, dep_version in sorted(deps):
                lines.append(f"      '{dep_name}': {dep_version}")
        lines.append("")
    write(os.path.join(dest, "pnpm-lock.yaml"), "\n".join(lines))
    count += 1

    # --- the package under test (not counted)
    app = os.path.join(dest, "packages", "app")
    os.makedirs(os.path.dirname(app), exist_ok=True)
    os.system(f"cp -R '{template}' '{app}'")
    os.makedirs(os.path.join(app, "node_modules", "@flue"))
    os.symlink(
        "../../../../" + store_dir("@flue/runtime", "2.1.0"),
        os.path.join(app, "node_modules", "@flue", "runtime"),
    )

    print(count)


if __name__ == "__main__":
    main(sys.argv[1:])
