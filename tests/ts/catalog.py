#!/usr/bin/env python3
"""The catalog harness's plan (used by tests/ts/catalog.sh, not run alone).

Reads every blueprint folder templates/<kind>/<name>/ (mirage excepted: it
has its own scripts) with tomllib, resolves each dependency range to its
oldest and newest published version (npm view, cached), and writes one
install manifest per (runtime x oldest|newest x pm) group.

    catalog.py blueprints                  -> TSV: name kind dir version targets
    catalog.py plan <out-dir> <runtime-range>...   -> TSV: group runtime which pm manifest
    catalog.py deps <name> <target>        -> TSV: package range (what flue add must add)
    catalog.py types <target> <name>...    -> JSON list of compilerOptions.types

Optional per-blueprint typecheck.json beside blueprint.toml (typecheck only,
never read by flue):
    {"packages": {"<pkg>": "<range>"},          extra packages to install,
                                               resolved like the SDKs
     "types": {"<target>": ["<types entry>"]}}  compilerOptions.types of the
                                               <target> project (default:
                                               node -> ["node"], others -> [])
"""

import json
import os
import re
import subprocess
import sys
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Not under catalog/ (catalog.sh clears that per run).
CACHE = os.path.join(REPO, "target", "ts-cache", "resolved")
SKIP = {"mirage"}
PINNED = json.loads(os.environ.get("FLUE_CATALOG_PINNED", "{}"))


def blueprints(filtered=True):
    only = set(filter(None, os.environ.get("FLUE_CATALOG_ONLY", "").split(",")))
    only = only if filtered else set()
    root = os.path.join(REPO, "templates")
    found = []
    for kind in sorted(os.listdir(root)):
        kdir = os.path.join(root, kind)
        if not os.path.isdir(kdir):
            continue
        for name in sorted(os.listdir(kdir)):
            bdir = os.path.join(kdir, name)
            desc = os.path.join(bdir, "blueprint.toml")
            if name in SKIP or not os.path.isfile(desc):
                continue
            if only and name not in only:
                continue
            with open(desc, "rb") as f:
                data = tomllib.load(f)
            extra = {}
            tc = os.path.join(bdir, "typecheck.json")
            if os.path.isfile(tc):
                with open(tc) as f:
                    extra = json.load(f)
            found.append((name, data, bdir, extra))
    return found


def latest(data):
    return max(data["versions"], key=lambda v: v["number"])


def targets(data):
    return [t for t, v in sorted(data.get("targets", {}).items()) if v.get("supported")]


def semver_key(v):
    m = re.match(r"(\d+)\.(\d+)\.(\d+)(.*)", v)
    return tuple(int(x) for x in m.groups()[:3]) + ((1,) if not m.group(4) else (0, m.group(4)))


def resolve(pkg, rng):
    """All published versions of pkg in rng, ascending (npm view, cached)."""
    key = f"{pkg}@{rng}"
    if key in PINNED:
        return PINNED[key]
    path = os.path.join(CACHE, "resolved.json")
    cache = {}
    if os.path.isfile(path):
        with open(path) as f:
            cache = json.load(f)
    if key in cache and os.environ.get("FLUE_TS_REFRESH") != "1":
        return cache[key]
    out = subprocess.run(
        ["npm", "view", key, "version", "--json", "--no-update-notifier"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if out.returncode != 0:
        if "E404" in out.stderr:
            print(f"note: {key} is not published on the npm registry: left out", file=sys.stderr)
            return []
        sys.exit(f"error: npm view {key} failed: {out.stderr.strip()[:400]}")
    got = json.loads(out.stdout) if out.stdout.strip() else []
    versions = sorted(got if isinstance(got, list) else [got], key=semver_key)
    cache[key] = versions
    os.makedirs(CACHE, exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(cache, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)
    return versions


def all_deps(found):
    """(package, range, section) over every blueprint's newest version, all targets."""
    deps = []
    for _name, data, _dir, extra in found:
        for d in latest(data).get("deps", []):
            deps.append((d["name"], d["range"], d.get("section", "dependencies")))
        for pkg, rng in extra.get("packages", {}).items():
            deps.append((pkg, rng, "devDependencies"))
    return deps


def plan(out_dir, runtime_ranges):
    # Every blueprint's SDKs, whatever FLUE_CATALOG_ONLY says: one install
    # serves every subset.
    deps = all_deps(blueprints(filtered=False))
    tools = json.loads(os.environ["FLUE_CATALOG_TOOLS"])
    os.makedirs(out_dir, exist_ok=True)
    runtimes = []
    for rr in runtime_ranges:
        vs = resolve("@flue/runtime", rr)
        if not vs:
            sys.exit(f"error: no @flue/runtime in {rr}")
        runtimes.append(vs[-1])
    for runtime in dict.fromkeys(runtimes):
        for which in ("oldest", "newest"):
            for pm in ("npm", "pnpm"):
                group = f"{runtime}-{which}-{pm}"
                manifest = {
                    "name": "flue-ts-catalog",
                    "private": True,
                    "type": "module",
                    "dependencies": {"@flue/runtime": runtime},
                    "devDependencies": dict(tools),
                }
                for pkg, rng, section in deps:
                    vs = resolve(pkg, rng)
                    if not vs:
                        continue
                    manifest.setdefault(section, {})[pkg] = vs[0] if which == "oldest" else vs[-1]
                path = os.path.join(out_dir, f"{group}.json")
                with open(path, "w") as f:
                    json.dump(manifest, f, indent=2)
                    f.write("\n")
                print(f"{group}\t{runtime}\t{which}\t{pm}\t{path}")


def main():
    cmd, *args = sys.argv[1:]
    if cmd == "blueprints":
        for name, data, bdir, _extra in blueprints():
            print(f"{name}\t{data['kind']}\t{bdir}\t{latest(data)['number']}\t{','.join(targets(data))}")
    elif cmd == "plan":
        plan(args[0], args[1:])
    elif cmd == "deps":
        name, target = args
        for n, data, _dir, _extra in blueprints():
            if n != name:
                continue
            for d in latest(data).get("deps", []):
                if target in d.get("targets", [target]):
                    print(f"{d['name']}\t{d['range']}\t{d.get('section', 'dependencies')}")
    elif cmd == "types":
        target, names = args[0], set(args[1:])
        types = ["node"] if target == "node" else []
        for n, _data, _dir, extra in blueprints():
            if n in names:
                for t in extra.get("types", {}).get(target, []):
                    if t not in types:
                        types.append(t)
        print(json.dumps(types))
    else:
        sys.exit(f"usage: {__doc__}")


if __name__ == "__main__":
    main()
