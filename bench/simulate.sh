#!/usr/bin/env bash
# Schedules per second of `dpccheck simulate` on the reference drivers, and peak RSS.
#
# For each driver it times two runs of the command line, a short one (S1 schedules) and a long
# one (S2), with /usr/bin/time. Total rate = S2 / wall(S2), JVM start and driver compile
# included. Marginal rate = (S2 - S1) / (wall(S2) - wall(S1)): the cost of one more schedule.
# The figures go to stdout as a Markdown table; nothing is asserted.
#
#   bench/simulate.sh [S1] [S2] [faults]      defaults: 20 520 0.1
set -euo pipefail
cd "$(dirname "$0")/.."
S1=${1:-20}
S2=${2:-520}
FAULTS=${3:-0.1}
JAR=cli/target/dpccheck.jar
if [ ! -f "$JAR" ]; then
    mvn -B -q -DskipTests install >&2
fi

measure() { # driver schedules -> "wall_seconds max_rss_kib irps bytes violations"
    local log out
    log=$(mktemp)
    out=$( { /usr/bin/time -f '%e %M' -o "$log" java -jar "$JAR" simulate "$1" --schedules "$2" --faults "$FAULTS" || true; } )
    local irps bytes violations
    irps=$(sed -n 's/^IRPs issued \([0-9]*\),.*/\1/p' <<<"$out")
    bytes=$(sed -n 's/.*bytes verified \([0-9]*\)$/\1/p' <<<"$out")
    violations=$(sed -n 's/^\([0-9]*\) violations\{0,1\}$/\1/p' <<<"$out")
    echo "$(cat "$log") $irps $bytes $violations"
    rm -f "$log"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "fault rate $FAULTS, 2 CPUs, 3 user threads x 8 requests per schedule"
echo
echo "| driver | schedules | wall s | schedules/s | marginal schedules/s | peak RSS MiB | IRPs | bytes verified | violations |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for d in dmadisk uart; do
    read -r w1 r1 _ _ _ <<<"$(measure testdata/drivers/$d "$S1")"
    read -r w2 r2 irps bytes violations <<<"$(measure testdata/drivers/$d "$S2")"
    awk -v d="$d" -v s="$S2" -v s1="$S1" -v w1="$w1" -v w2="$w2" -v r="$r2" -v i="$irps" -v b="$bytes" -v v="$violations" \
        'BEGIN { m = (w2 > w1) ? (s - s1) / (w2 - w1) : 0;
                 printf "| %s | %d | %.2f | %.1f | %.1f | %.0f | %d | %d | %d |\n", d, s, w2, s / w2, m, r / 1024, i, b, v }'
done
