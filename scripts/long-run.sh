#!/usr/bin/env bash
# Measures `accord run` and `accord report` on a run of a million rounds (two hardliners that
# never agree): wall time, peak memory and the size of every file. Issue 7 item 8.
# Usage: scripts/long-run.sh [ROUNDS]   (release build; prints one line per command)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1000000}"
cargo build --release --quiet
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/long.toml" <<TOML
[scenario]
name = "Two hardliners"
max_rounds = $rounds
seed = 1
order = ["a", "b"]

[[issues]]
id = "x"
label = "Share"
range = [0.0, 1.0]

[[parties]]
id = "a"
name = "A"
reservation = 0.1
strategy = { kind = "hardliner" }
weights = { x = 1.0 }
ideal = { x = 1.0 }

[[parties]]
id = "b"
name = "B"
reservation = 0.1
strategy = { kind = "hardliner" }
weights = { x = 1.0 }
ideal = { x = 0.0 }
TOML
for command in run report; do
  /usr/bin/time -f "accord $command, $rounds rounds: %e s, peak %M KB" \
    target/release/accord "$command" "$tmp/long.toml" --out "$tmp/out" > /dev/null 2> "$tmp/err" \
    || { cat "$tmp/err"; exit 1; }
  tail -1 "$tmp/err"
done
ls -l "$tmp/out/long" | awk 'NR > 1 { printf "  %12d  %s\n", $5, $9 }'
