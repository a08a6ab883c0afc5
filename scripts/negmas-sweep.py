#!/usr/bin/env python3
"""The NegMAS side of the reference sweep of ../shared/bench/README.md, for
scripts/bench-vs-negmas.sh (docs/performance.md, "Against NegMAS in one run").

The negotiation is the one that ../shared/bench/minerals-peer.toml describes in its comments,
built with NegMAS's own classes:

- three issues: mineral_share, an integer 0..100; aid_repayment, 0..500 in steps of 10;
  security_guarantee, 4 categories (101 x 51 x 4 = 20,604 outcomes);
- linear additive utilities with the TOML's weights and values: each numeric issue valued
  linearly from 0 at one end of its range to 1 at the party's ideal end, the security
  guarantee by the TOML's table; reserved values US 0.30, Ukraine 0.35;
- SAOMechanism with 100 steps (up to 200 offers), US BoulwareTBNegotiator against Ukraine
  ConcederTBNegotiator.

The sweep runs that negotiation once for each of N evenly spaced US reserved values in
[LOW, HIGH], both ends included (1,000 in [0, 0.6] by default: accord's
`--vary parties.us.reservation=0..0.6:1000`), one after the other in this one process, a
fresh mechanism, negotiators and utility functions per run (the outcome space is built
once). It prints the wall time of the sweep, its rate and its CPU time, then, as a check, the agreement rate and the mean utilities of the deals.

Usage: negmas-sweep.py [--runs N] [--low LOW] [--high HIGH] [--json]
Needs NegMAS (`pip install negmas==0.16.0`, in a virtual environment outside the repository).
"""

import argparse
import json
import sys
import time
import warnings

SHARE_MAX = 100
AID_MAX = 500
AID_STEP = 10
SECURITY = ["none", "consultations", "bilateral_commitment", "nato_like"]

# Weights and per-issue values of ../shared/bench/minerals-peer.toml.
US = {
    "weights": {"mineral_share": 0.45, "aid_repayment": 0.40, "security_guarantee": 0.15},
    "ideal_high": True,  # the US wants more minerals and more repayment
    "security": {"none": 1.0, "consultations": 2 / 3, "bilateral_commitment": 1 / 3, "nato_like": 0.0},
    "reserved": 0.30,
}
UKRAINE = {
    "weights": {"mineral_share": 0.30, "aid_repayment": 0.30, "security_guarantee": 0.40},
    "ideal_high": False,  # Ukraine wants less of both
    "security": {"none": 0.0, "consultations": 1 / 3, "bilateral_commitment": 2 / 3, "nato_like": 1.0},
    "reserved": 0.35,
}


def outcome_space():
    from negmas import make_issue, make_os

    return make_os(
        [
            make_issue((0, SHARE_MAX), name="mineral_share"),
            make_issue((0, AID_MAX), step=AID_STEP, name="aid_repayment"),
            make_issue(SECURITY, name="security_guarantee"),
        ],
        name="minerals-peer",
    )


def ufun(party, reserved, space):
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import AffineFun, TableFun

    def numeric(top):
        # 0 at the far end of [0, top], 1 at the party's ideal end
        return AffineFun(slope=1 / top, bias=0.0) if party["ideal_high"] else AffineFun(slope=-1 / top, bias=1.0)

    return LinearAdditiveUtilityFunction(
        values={
            "mineral_share": numeric(SHARE_MAX),
            "aid_repayment": numeric(AID_MAX),
            "security_guarantee": TableFun(dict(party["security"])),
        },
        weights=dict(party["weights"]),
        outcome_space=space,
        reserved_value=reserved,
    )


def negotiate(space, us_reserved):
    """One negotiation; returns (agreement or None, US utility, Ukraine utility, steps)."""
    from negmas import BoulwareTBNegotiator, ConcederTBNegotiator, SAOMechanism

    u_us = ufun(US, us_reserved, space)
    u_ua = ufun(UKRAINE, UKRAINE["reserved"], space)
    mechanism = SAOMechanism(outcome_space=space, n_steps=100)
    mechanism.add(BoulwareTBNegotiator(name="us"), ufun=u_us)
    mechanism.add(ConcederTBNegotiator(name="ukraine"), ufun=u_ua)
    state = mechanism.run()
    deal = state.agreement
    if deal is None:
        return None, u_us.reserved_value, u_ua.reserved_value, state.step
    return deal, float(u_us(deal)), float(u_ua(deal)), state.step


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1000, help="number of sweep points (default 1000)")
    ap.add_argument("--low", type=float, default=0.0, help="lowest US reserved value (default 0)")
    ap.add_argument("--high", type=float, default=0.6, help="highest US reserved value (default 0.6)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args()
    if args.runs < 1:
        print("error: --runs must be at least 1", file=sys.stderr)
        return 2
    try:
        import negmas
    except ImportError:
        print(
            "error: NegMAS is not installed for this Python.\n"
            "  python3 -m venv /work/negmas-venv && /work/negmas-venv/bin/pip install negmas==0.16.0",
            file=sys.stderr,
        )
        return 2
    warnings.filterwarnings("ignore")

    space = outcome_space()
    n = args.runs
    points = [args.low + (args.high - args.low) * i / (n - 1) if n > 1 else args.low for i in range(n)]

    start, cpu_start = time.perf_counter(), time.process_time()
    results = [negotiate(space, r) for r in points]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start

    deals = [r for r in results if r[0] is not None]
    figures = {
        "negmas_version": negmas.__version__,
        "python": sys.version.split()[0],
        "outcomes": space.cardinality,
        "runs": n,
        "wall_s": wall,
        "runs_per_s": n / wall,
        "cpu_s": cpu,
        "agreement_rate": len(deals) / n,
        "mean_utility_us": sum(r[1] for r in deals) / len(deals) if deals else None,
        "mean_utility_ukraine": sum(r[2] for r in deals) / len(deals) if deals else None,
        "mean_steps": sum(r[3] for r in results) / n,
    }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"NegMAS {figures['negmas_version']} (Python {figures['python']}), {figures['outcomes']} outcomes")
    print(f"{n} negotiations, US reserved value {args.low:g}..{args.high:g}: wall {wall:.2f} s, {n / wall:.1f} runs/s, CPU {cpu:.2f} s")
    if deals:
        print(
            f"check: agreement rate {figures['agreement_rate']:.3f}, mean utility of the deals "
            f"US {figures['mean_utility_us']:.4f} Ukraine {figures['mean_utility_ukraine']:.4f}, "
            f"mean steps {figures['mean_steps']:.1f}"
        )
    else:
        print(f"check: no agreement in {n} runs, mean steps {figures['mean_steps']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
