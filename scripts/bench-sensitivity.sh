#!/usr/bin/env bash
# Sensitivity throughput, the figures of docs/performance.md "Sensitivity" (issue 8 item 6).
#
#   scripts/bench-sensitivity.sh [N] [THREADS]    # Sobol' base samples (default 4096), threads (2)
#
# A Sobol' analysis of the 8 assumptions declared in scenarios/us-ukraine-minerals-2025.toml
# with N base samples (N (8 + 2) runs), every metric estimated with 500 bootstrap resamples,
# under GNU time (wall, CPU, peak RSS), three times; then, for comparison in the same session,
# a plain `accord sweep` of as many Latin hypercube points over the same ranges.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-4096}
threads=${2:-2}
cargo build --release --quiet
bin=target/release/accord
scenario=scenarios/us-ukraine-minerals-2025.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=$((n * 10))
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
    echo "== accord sensitivity, Sobol' N = $n ($runs runs), $threads threads, try $i"
    /usr/bin/time -f 'wall %e s  user %U s  sys %S s  CPU %P  peak RSS %M KiB' \
        "$bin" sensitivity "$scenario" --samples "$n" --threads "$threads" \
        --out "$out/s$i" --quiet 2>&1 >/dev/null | grep -E 'ran|estimated|wall'
    echo "== accord sweep, $runs Latin hypercube points over the same ranges, try $i"
    /usr/bin/time -f 'wall %e s  user %U s  sys %S s  CPU %P  peak RSS %M KiB' \
        "$bin" sweep "$scenario" --design lhs --samples "$runs" --threads "$threads" \
        --vary parties.us.discount=0.995..0.9999 --vary parties.ukraine.discount=0.99..0.999 \
        --vary parties.us.strategy.exponent=0.1..0.6 --vary parties.ukraine.strategy.exponent=1.2..4 \
        --vary parties.us.weights.mineral_share=0.25..0.55 \
        --vary parties.us.weights.security_guarantee=0.1..0.35 \
        --vary parties.ukraine.weights.security_guarantee=0.25..0.55 \
        --vary parties.ukraine.weights.aid_repayment=0.1..0.4 \
        --out "$out/w$i" --quiet 2>&1 >/dev/null | grep -E 'wall'
done
