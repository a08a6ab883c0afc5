#!/usr/bin/env python3
"""Checks `accord import genius` on a folder tree of GENIUS scenarios, such as the ANAC
domains shipped in NegMAS's repository (tests/data/scenarios); nothing of them is copied here.

1. Every folder with one domain (<negotiation_template>) and two or more profiles
   (<utility_space>) is imported, validated and run; refusals are counted by message.
2. With NegMAS installed (`pip install negmas==0.16.0`), every two-party folder whose profiles
   NegMAS reads as tables (discrete issues) is compared: the Nash point and the utilitarian
   optimum found by brute force over NegMAS's own parse, normalized as GENIUS does
   (evaluations divided by each issue's largest, weights by their sum), against what
   `accord run --json` reports for the imported scenario.
3. The same domains are written by NegMAS as YAML folders (`Scenario.to_yaml`, raw
   evaluations) and read by `accord import negmas`: the Nash product of accord's Nash point,
   in NegMAS's own utilities, must equal the brute-force maximum (the rescaling is affine).

Usage: python3 scripts/interop-check.py SCENARIOS_DIR [ACCORD_BINARY]
docs/interop.md records the figures of the last run.
"""

import collections
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings


def classify(folder, files):
    domain, profiles = None, []
    for f in sorted(files):
        if not f.endswith(".xml"):
            continue
        head = open(os.path.join(folder, f), errors="replace").read(3000)
        head = re.sub(r"<\?.*?\?>|<!--.*?-->", "", head, flags=re.S)
        m = re.search(r"<\s*([A-Za-z_]+)", head)
        tag = m.group(1) if m else ""
        if tag == "negotiation_template":
            domain = f
        elif tag == "utility_space":
            profiles.append(f)
    return domain, profiles


def brute_force(domain, profiles):
    """Nash and utilitarian utilities from NegMAS's parse, or None if NegMAS reads no tables."""
    from negmas.inout import Scenario
    from negmas.preferences.value_fun import TableFun

    try:
        s = Scenario.from_genius_files(domain, profiles, ignore_discount=True)
    except Exception:  # NegMAS cannot read it: nothing to compare with
        return None
    if s is None or s.outcome_space.cardinality > 300_000:
        return None
    funs = []
    for u in s.ufuns:
        if type(u).__name__ != "LinearAdditiveUtilityFunction" or not all(isinstance(v, TableFun) for v in u.values):
            return None
        total = sum(u.weights)
        tables = []
        for v in u.values:
            top = max(v.mapping.values())
            tables.append({k: (x / top if top >= 1e-5 else 0.0) for k, x in v.mapping.items()})
        funs.append(([w / total for w in u.weights], tables, u.reserved_value))
    utils = [
        tuple(sum(w * t[x] for w, t, x in zip(ws, ts, o)) for ws, ts, _ in funs)
        for o in itertools.product(*[list(i.all) for i in s.outcome_space.issues])
    ]
    res = [f[2] for f in funs]
    rational = [u for u in utils if all(x > r for x, r in zip(u, res))]
    if not rational:
        return ("no zone", s.outcome_space.cardinality)
    nash = max(rational, key=lambda u: (u[0] - res[0]) * (u[1] - res[1]))
    utilitarian = max(rational, key=sum)
    return (nash, utilitarian, s.outcome_space.cardinality)


def yaml_check(domain, profiles, accord, tmp):
    """True if accord's Nash point of NegMAS's YAML export is a Nash point of NegMAS's ufuns."""
    import shutil

    from negmas.inout import Scenario

    s = Scenario.from_genius_files(domain, profiles, ignore_discount=True)
    folder = os.path.join(tmp, "yaml")
    shutil.rmtree(folder, ignore_errors=True)
    s.to_yaml(folder)
    out = os.path.join(tmp, "from-yaml.toml")
    if subprocess.run([accord, "import", "negmas", folder, "-o", out], capture_output=True).returncode != 0:
        return False
    analysis = json.loads(subprocess.run([accord, "run", out, "--json"], capture_output=True, text=True).stdout)["analysis"]
    res = [u.reserved_value for u in s.ufuns]
    gains = lambda o: [float(u(o)) - r for u, r in zip(s.ufuns, res)]  # noqa: E731
    products = [g[0] * g[1] for g in map(gains, s.outcome_space.enumerate()) if min(g) > 0]
    if not products:
        return analysis["nash"] is None
    if analysis["nash"] is None:
        return False
    g = gains(tuple(analysis["nash"]["terms"].values()))
    return abs(g[0] * g[1] - max(products)) <= 1e-9 * max(products)


def main():
    root = sys.argv[1]
    accord = sys.argv[2] if len(sys.argv) > 2 else "target/release/accord"
    warnings.filterwarnings("ignore")
    try:
        import negmas  # noqa: F401

        compare = True
    except ImportError:
        compare = False
        print("NegMAS is not installed: importing only")
    counts, refusals, compared, matched, mismatches = collections.Counter(), collections.Counter(), 0, 0, []
    yaml_matched, yaml_mismatches = 0, []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "imported.toml")
        for folder, _, files in sorted(os.walk(root)):
            domain, profiles = classify(folder, files)
            if domain is None or len(profiles) < 2:
                continue
            paths = [os.path.join(folder, domain)] + [os.path.join(folder, p) for p in profiles]
            r = subprocess.run([accord, "import", "genius", *paths, "-o", out], capture_output=True, text=True)
            if r.returncode != 0:
                counts["refused"] += 1
                refusals[re.sub(r"^error: \S+: ", "", r.stderr.splitlines()[0])[:100]] += 1
                continue
            ok = subprocess.run([accord, "validate", out], capture_output=True).returncode == 0
            run = subprocess.run([accord, "run", out, "--json"], capture_output=True, text=True)
            counts["imported, valid and run" if ok and run.returncode == 0 else "imported but failed"] += 1
            if not compare or len(profiles) != 2 or run.returncode != 0:
                continue
            expected = brute_force(paths[0], paths[1:])
            if expected is None:
                continue
            compared += 1
            analysis = json.loads(run.stdout)["analysis"]
            name = os.path.relpath(folder, root)
            if expected[0] == "no zone":
                good = not analysis["zone_of_agreement"]
            else:
                nash = list(analysis["nash"]["utilities"].values()) if analysis["nash"] else []
                util = list(analysis["utilitarian"]["utilities"].values()) if analysis["utilitarian"] else []
                good = (
                    len(nash) == 2
                    and max(abs(a - b) for a, b in zip(nash, expected[0])) < 1e-9
                    and abs(sum(util) - sum(expected[1])) < 1e-9
                )
            matched += good
            if not good:
                mismatches.append(name)
            if yaml_check(paths[0], paths[1:], accord, tmp):
                yaml_matched += 1
            else:
                yaml_mismatches.append(name)
    print(dict(counts))
    for message, n in refusals.most_common():
        print(f"  refused {n}: {message}")
    if compare:
        print(f"{compared} two-party discrete domains compared with NegMAS's parse: {matched} agree to 1e-9")
        for name in mismatches:
            print("  differs:", name)
        print(f"the same {compared} as NegMAS YAML folders through `accord import negmas`: {yaml_matched} give NegMAS's Nash product")
        for name in yaml_mismatches:
            print("  differs:", name)


if __name__ == "__main__":
    main()
