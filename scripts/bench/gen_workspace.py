#!/usr/bin/env python3
"""Generates the benchmark's 1,000-package workspace for `flue status
--workspace` (SPEC §15): a pnpm workspace whose every package is a small
Flue project, installed as pnpm installs it.

Layout (deterministic):
  package.json, pnpm-workspace.yaml ("packages/*", "!packages/ignored-*"),
  pnpm-lock.yaml (one importer per package)
  node_modules/.pnpm/@flue+runtime@2.1.0/node_modules/@flue/runtime/package.json
  packages/pkg-NNNN/{package.json,tsconfig.json,src/index.ts}
  packages/pkg-NNNN/node_modules/@flue/runtime -> the store (as pnpm links it)
  a third of the packages also have src/sandboxes/mirage.ts: of those, one
  in five is version 1 (an upgrade is pending), one in five is version 2
  with a user edit, the rest the exact version 2 render.

Usage: gen_workspace.py DEST V1_RENDER V2_RENDER [--packages N]
DEST must not exist; the caller renames it into place when this succeeds.
Prints the counts as JSON.
"""

import json
import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    args = list(argv)
    n = 1000
    if "--packages" in args:
        i = args.index("--packages")
        n = int(args[i + 1])
        del args[i : i + 2]
    dest, v1_path, v2_path = args
    v1 = open(v1_path, encoding="utf-8").read()
    v2 = open(v2_path, encoding="utf-8").read()
    edited = v2.replace('const cwd = options?.cwd ?? "/";', 'const cwd = options?.cwd ?? "/workspace";')
    assert edited != v2, "the edit must change the v2 render"
    os.makedirs(dest)
    write(os.path.join(dest, "package.json"),
          json.dumps({"name": "bench-workspace", "private": True, "packageManager": "pnpm@9.15.0"}, indent=2) + "\n")
    write(os.path.join(dest, "pnpm-workspace.yaml"), 'packages:\n  - "packages/*"\n  - "!packages/ignored-*"\n')
    store = os.path.join("node_modules", ".pnpm", "@flue+runtime@2.1.0", "node_modules", "@flue", "runtime")
    write(os.path.join(dest, store, "package.json"),
          json.dumps({"name": "@flue/runtime", "version": "2.1.0", "types": "dist/index.d.ts"}, indent=2) + "\n")
    lock = ["lockfileVersion: '9.0'", "", "importers:", ""]
    counts = {"packages": n, "installed": 0, "v1": 0, "edited": 0, "current": 0}
    deps = {
        "@flue/runtime": "^2.1.0",
        "@struktoai/mirage-core": "^0.0.2",
        "@struktoai/mirage-node": "^0.0.2",
    }
    for i in range(n):
        rel = f"packages/pkg-{i:04d}"
        pkg = os.path.join(dest, rel)
        has = i % 3 == 0
        d = dict(deps) if has else {"@flue/runtime": "^2.1.0"}
        write(os.path.join(pkg, "package.json"),
              json.dumps({"name": f"@bench/pkg-{i:04d}", "version": "0.0.0", "private": True,
                          "type": "module", "dependencies": d}, indent=2) + "\n")
        write(os.path.join(pkg, "tsconfig.json"), '{ "compilerOptions": { "strict": true }, "include": ["src"] }\n')
        write(os.path.join(pkg, "src", "index.ts"),
              'import { serve } from "@flue/runtime";\n\nexport default serve({ agents: [] });\n')
        link = os.path.join(pkg, "node_modules", "@flue", "runtime")
        os.makedirs(os.path.dirname(link))
        os.symlink(os.path.join("..", "..", "..", "..", store), link)
        if has:
            k = (i // 3) % 5
            text, kind = (v1, "v1") if k == 0 else (edited, "edited") if k == 1 else (v2, "current")
            write(os.path.join(pkg, "src", "sandboxes", "mirage.ts"), text)
            counts["installed"] += 1
            counts[kind] += 1
        lock.append(f"  {rel}:")
        lock.append("    dependencies:")
        lock.append("      '@flue/runtime':")
        lock.append("        specifier: ^2.1.0")
        lock.append("        version: 2.1.0")
        lock.append("")
    # excluded by the `!` pattern: never read
    write(os.path.join(dest, "packages", "ignored-fixtures", "package.json"), "{ not json\n")
    write(os.path.join(dest, "pnpm-lock.yaml"), "\n".join(lock))
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1:])
