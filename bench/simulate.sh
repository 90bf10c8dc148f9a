#!/usr/bin/env bash
# Schedules per second of `dpccheck simulate` on the reference drivers, and peak RSS.
#
# For each driver it times two runs of the command line, a short one (S1 schedules) and a long
# one (S2), with /usr/bin/time. Total rate = S2 / wall(S2), JVM start and driver compile
# included. Marginal rate = (S2 - S1) / (wall(S2) - wall(S1)): the cost of one more schedule.
# Each driver runs twice: with the scheduling points at Wdm calls and at accesses to shared
# memory (`--points shared`, the default: a controlled run) and at Wdm calls only (`--points
# calls`); the overhead column is the ratio of their marginal costs. The figures go to stdout as a
# Markdown table; nothing is asserted.
#
#   bench/simulate.sh [S1] [S2] [faults]      defaults: 20 520 0.1
#
# DPCCHECK_JARS="old.jar new.jar" compares builds in one run, runs interleaved (old, new, old,
# new) so that a busy machine weighs on both alike; e.g. the jar of an earlier commit, built in a
# git worktree with `mvn -q -DskipTests package`.
set -euo pipefail
cd "$(dirname "$0")/.."
S1=${1:-20}
S2=${2:-520}
FAULTS=${3:-0.1}
JARS=${DPCCHECK_JARS:-cli/target/dpccheck.jar}
if [ ! -f cli/target/dpccheck.jar ]; then
    mvn -B -q -DskipTests install >&2
fi

measure() { # jar driver schedules points -> "wall_seconds max_rss_kib irps bytes violations"
    local log out
    log=$(mktemp)
    out=$( { /usr/bin/time -f '%e %M' -o "$log" java -jar "$1" simulate "$2" --schedules "$3" --faults "$FAULTS" \
        --points "$4" || true; } )
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
echo "| jar | driver | points | schedules | wall s | schedules/s | marginal schedules/s | overhead vs calls | peak RSS MiB | IRPs | bytes verified | violations |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for d in dmadisk uart; do
    for jar in $JARS; do
        declare -A w1 w2 r2 irps bytes violations
        for pts in shared calls; do
            read -r w1[$pts] _ _ _ _ <<<"$(measure "$jar" testdata/drivers/$d "$S1" $pts)"
            read -r w2[$pts] r2[$pts] irps[$pts] bytes[$pts] violations[$pts] <<<"$(measure "$jar" testdata/drivers/$d "$S2" $pts)"
        done
        for pts in shared calls; do
            awk -v j="$(basename "$jar")" -v d="$d" -v p="$pts" -v s="$S2" -v s1="$S1" -v w1="${w1[$pts]}" -v w2="${w2[$pts]}" \
                -v c1="${w1[calls]}" -v c2="${w2[calls]}" \
                -v r="${r2[$pts]}" -v i="${irps[$pts]}" -v b="${bytes[$pts]}" -v v="${violations[$pts]}" \
                'BEGIN { m = (w2 > w1) ? (s - s1) / (w2 - w1) : 0; mc = (c2 > c1) ? (s - s1) / (c2 - c1) : 0;
                         printf "| %s | %s | %s | %d | %.2f | %.1f | %.1f | %.2fx | %.0f | %d | %d | %d |\n", j, d, p, s, w2, s / w2, m,
                                (m > 0 ? mc / m : 0), r / 1024, i, b, v }'
        done
        unset w1 w2 r2 irps bytes violations
    done
done
