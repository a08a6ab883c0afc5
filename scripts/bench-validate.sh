#!/usr/bin/env bash
# Measures `accord validate` on scenario files with N unknown keys (one problem a line) and
# on one line of a megabyte: wall time and bytes of stderr. Issue 7 item 3.
# Usage: scripts/bench-validate.sh [ACCORD_BINARY...]   (default: a release build of this tree)
# Give two binaries (say one built before a change) to compare them in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
    cargo build --release --quiet
    set -- target/release/accord
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
base="scenarios/textbook-integrative.toml"
for n in 10000 20000 40000 110000; do
    { awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "unknown_key_number_%06d = %d\n", i, i }'
      cat "$base"; } > "$tmp/keys-$n.toml"
done
{ printf 'description = "%s" bad = 1\n' "$(head -c 1000000 /dev/zero | tr '\0' x)"; cat "$base"; } > "$tmp/long-line.toml"
printf '%-28s %-28s %10s %14s\n' binary file seconds stderr-bytes
for bin in "$@"; do
    for f in "$tmp"/keys-*.toml "$tmp/long-line.toml"; do
        start=$(date +%s.%N)
        "$bin" validate "$f" 2> "$tmp/stderr" > /dev/null || true
        end=$(date +%s.%N)
        printf '%-28s %-28s %10.2f %14d\n' "$(basename "$(dirname "$bin")")/$(basename "$bin")" \
            "$(basename "$f")" "$(echo "$end - $start" | bc)" "$(wc -c < "$tmp/stderr")"
    done
done
