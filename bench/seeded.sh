#!/usr/bin/env bash
# Schedules needed to find each seeded defect: for every variant under testdata/drivers/seeded,
# runs `dpccheck simulate` (random walk, seeds 1..N, fault rate F, as DriverCorpusTest does) and
# reports, per expected marker, the first seed whose schedule showed it. Nothing is asserted; the
# corpus test checks the markers.
#
#   bench/seeded.sh [N] [F]      defaults: 40 0.05
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
F=${2:-0.05}
JAR=cli/target/dpccheck.jar
if [ ! -f "$JAR" ]; then
    mvn -B -q -DskipTests install >&2
fi
echo "| variant | marker | first seed | wall s for $N schedules |"
echo "|---|---|---:|---:|"
for v in testdata/drivers/seeded/*/; do
    name=$(basename "$v")
    start=$(date +%s.%N)
    out=$(java -jar "$JAR" simulate "$v" --schedules "$N" --faults "$F" || true)
    wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
    grep -n 'expect:' "$v"*.java | while IFS= read -r hit; do
        file=$(cut -d: -f1 <<<"$hit")
        line=$(cut -d: -f2 <<<"$hit")
        rules=$(sed 's/.*expect:[[:space:]]*//' <<<"$hit" | tr ',' ' ')
        for rule in $rules; do
            seed=$(grep -F "$file:$line: violation [$rule]" <<<"$out" | sed -n 's/.*seed \([0-9]*\))$/\1/p' | head -1)
            echo "| $name | $rule at $(basename "$file"):$line | ${seed:-not found} | $wall |"
        done
    done
done
