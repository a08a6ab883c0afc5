#!/usr/bin/env bash
# accord against NegMAS on the reference sweep, in one run on this machine (issue 6 item 11;
# docs/performance.md, "Against NegMAS in one run").
#
#   scripts/bench-vs-negmas.sh [REPS]     # REPS repetitions of each accord sweep (default 5)
#
# The sweep: ../shared/bench/minerals-peer.toml, the US reservation over 1,000 evenly spaced
# values in [0, 0.6] (../shared/bench/README.md). Back to back:
# 1. accord sweep ... --quiet, REPS times on all CPUs, then REPS times with --threads 1
#    (set ACCORD_THREADS1=0 to skip these); the median wall time of each is kept;
# 2. scripts/negmas-sweep.py, the same 1,000 negotiations in NegMAS 0.16.0, once (about a
#    minute on a quiet machine).
# It prints the machine, the load (`uptime`) before and after, both rates, their ratio, the
# ratio of CPU times, and as a check the agreement rate and mean utilities of both sides.
#
# Environment: NEGMAS_PYTHON, the Python with NegMAS (default /work/negmas-venv/bin/python);
# ACCORD_BIN, the accord binary (default: build target/release/accord);
# ACCORD_BENCH_DIR, the folder of minerals-peer.toml (default ../shared/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
if ! [[ $reps =~ ^[1-9][0-9]*$ ]]; then
    echo "error: REPS must be a positive integer, not '$reps'" >&2
    exit 2
fi
py=${NEGMAS_PYTHON:-/work/negmas-venv/bin/python}
if ! [ -x "$py" ] || ! "$py" -c 'import negmas' 2>/dev/null; then
    cat >&2 <<EOF
error: no NegMAS for the Python '$py' (set NEGMAS_PYTHON to another interpreter).
Install NegMAS 0.16.0 in a virtual environment outside the repository:
  python3 -m venv /work/negmas-venv && /work/negmas-venv/bin/pip install negmas==0.16.0
EOF
    exit 2
fi
bench=${ACCORD_BENCH_DIR:-../shared/bench}
scenario=$bench/minerals-peer.toml
if ! [ -f "$scenario" ]; then
    echo "error: no $scenario (set ACCORD_BENCH_DIR to the folder that holds it)" >&2
    exit 2
fi
if [ -n "${ACCORD_BIN:-}" ]; then
    bin=$ACCORD_BIN
else
    cargo build --release --quiet
    bin=target/release/accord
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=1000

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "accord $(git describe --always --dirty 2>/dev/null || echo '?'), NegMAS $("$py" -c 'import negmas; print(negmas.__version__)')"
echo "load before: $(uptime)"

# accord_sweep LABEL [ARGS...]: REPS sweeps; sets med_wall and med_cpu (seconds, medians)
accord_sweep() {
    local label=$1
    shift
    local walls=() cpus=() i t
    for ((i = 1; i <= reps; i++)); do
        t=$( { TIMEFORMAT='%3R %3U %3S'; time "$bin" sweep "$scenario" \
            --vary parties.us.reservation=0..0.6:$runs --out "$out/$label$i" --quiet "$@" \
            >/dev/null 2>"$out/err"; } 2>&1 ) || { cat "$out/err" >&2; exit 1; }
        walls+=("$(echo "$t" | awk '{print $1}')")
        cpus+=("$(echo "$t" | awk '{print $2 + $3}')")
    done
    med_wall=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")
    med_cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")
    printf 'accord %-12s wall %.3f s (median of %s: %s)  %.0f runs/s  CPU %.3f s\n' "$label" \
        "$med_wall" "$reps" "$(printf '%s ' "${walls[@]}")" "$(echo "$runs / $med_wall" | bc -l)" "$med_cpu"
}

# check FILE: agreement rate and mean utilities of the deals of one accord sweep
check() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { n++; if ($c["agreement"] == 1) { a++; us += $c["utility.us"]; ua += $c["utility.ukraine"] } }
        END { printf "check accord: agreement rate %.3f, mean utility of the deals US %.4f Ukraine %.4f\n",
              a / n, us / a, ua / a }' "$1"
}

echo "== accord: $runs-run sweep of $scenario, $reps times each"
accord_sweep all-threads
wall_all=$med_wall cpu_all=$med_cpu
check "$out/all-threads1/minerals-peer/sweep.csv"
if [ "${ACCORD_THREADS1:-1}" != 0 ]; then
    accord_sweep threads-1 --threads 1
    wall_one=$med_wall cpu_one=$med_cpu
fi

echo "== NegMAS: the same $runs negotiations (scripts/negmas-sweep.py)"
json=$("$py" scripts/negmas-sweep.py --runs "$runs" --json)
field() { echo "$json" | "$py" -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }
n_wall=$(field wall_s)
n_cpu=$(field cpu_s)
printf 'NegMAS wall %.2f s  %.1f runs/s  CPU %.2f s\n' "$n_wall" "$(echo "$runs / $n_wall" | bc -l)" "$n_cpu"
printf 'check NegMAS: agreement rate %.3f, mean utility of the deals US %.4f Ukraine %.4f, mean steps %.1f\n' \
    "$(field agreement_rate)" "$(field mean_utility_us)" "$(field mean_utility_ukraine)" "$(field mean_steps)"
echo "load after: $(uptime)"

echo "== accord against NegMAS (rate ratio = NegMAS wall / accord wall; CPU ratio = NegMAS CPU / accord CPU)"
printf 'accord, all threads: %6.0fx the rate, %6.0fx less CPU\n' \
    "$(echo "$n_wall / $wall_all" | bc -l)" "$(echo "$n_cpu / $cpu_all" | bc -l)"
if [ -n "${wall_one:-}" ]; then
    printf 'accord, --threads 1: %6.0fx the rate, %6.0fx less CPU\n' \
        "$(echo "$n_wall / $wall_one" | bc -l)" "$(echo "$n_cpu / $cpu_one" | bc -l)"
fi
