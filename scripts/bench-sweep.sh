#!/usr/bin/env bash
# Sweep throughput and memory, the figures of docs/performance.md "Sweeps" (issue 6 item 11).
#
#   scripts/bench-sweep.sh [RUNS_1M]     # RUNS_1M replicates per point of the big sweep (default 1000)
#
# 1. The NegMAS reference sweep: ../shared/bench/minerals-peer.toml, the US reservation over
#    1,000 evenly spaced values in [0, 0.6], every per-run metric with the analysis columns,
#    from the command line (3 repetitions; the median is printed). NegMAS 0.16.0 runs the same
#    sweep at 12-18 negotiations/s on this machine class (../shared/bench/README.md).
# 2. 1,000 points x RUNS_1M replicates with scenario.breakdown_risk = 0.01 (so replicates
#    differ): wall time, runs/s and peak RSS (GNU time), on all CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${ACCORD_BENCH_DIR:-../shared/bench}
replicates=${1:-1000}
cargo build --release --quiet
bin=target/release/accord
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== 1,000-run sweep of minerals-peer (NegMAS: 12-18 runs/s)"
times=()
for i in 1 2 3; do
    start=$(date +%s.%N)
    "$bin" sweep "$bench/minerals-peer.toml" --vary parties.us.reservation=0..0.6:1000 \
        --out "$out/a$i" --quiet 2>/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
rate=$(echo "1000 / $median" | bc -l)
printf 'wall %.3f s (median of 3: %s)  %.0f runs/s  = %.0f-%.0fx NegMAS\n' "$median" \
    "$(printf '%.3f ' "${times[@]}")" "$rate" "$(echo "$rate / 18" | bc -l)" "$(echo "$rate / 12" | bc -l)"

runs=$((1000 * replicates))
echo "== $runs-run sweep (1,000 points x $replicates replicates, breakdown risk 0.01)"
/usr/bin/time -f 'wall %e s  peak RSS %M KiB' "$bin" sweep "$bench/minerals-peer.toml" \
    --vary parties.us.reservation=0..0.6:1000 --vary scenario.breakdown_risk=0.01 \
    --replicates "$replicates" --out "$out/b" --quiet
wc -l < "$out/b/minerals-peer/sweep.csv" | awk '{print "rows:", $1 - 1}'
