#!/usr/bin/env bash
# audit --validate, measured: (1) per static finding of each seeded driver, the schedules and the
# time it takes to confirm it, directed at the findings and not (ValidateBench, in this JVM); (2)
# the wall time of `dpccheck audit --validate` over all of testdata/drivers, as a user runs it
# (child JVMs, static analysis, traces). Markdown to stdout; nothing is asserted.
#
#   bench/validate.sh [N] [STRATEGY]      defaults: 200 pct:2
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
STRATEGY=${2:-pct:2}
mvn -B -q -DskipTests -Dinvoker.skip install >&2
mvn -B -q -f bench/pom.xml package dependency:copy-dependencies -DoutputDirectory=target/lib >&2
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); budget $N schedules of $STRATEGY per driver"
echo
java -cp "bench/target/classes:bench/target/lib/*" dev.dpccheck.bench.ValidateBench testdata/drivers/seeded "$N" "$STRATEGY"
echo
traces=$(mktemp -d)
start=$(date +%s.%N)
./dpccheck audit --validate --schedules "$N" --strategy "$STRATEGY" --traces "$traces" testdata/drivers > "$traces/report.txt" || true
end=$(date +%s.%N)
printf 'dpccheck audit --validate testdata/drivers: %.1f s; %s\n' "$(echo "$end - $start" | bc)" "$(tail -1 "$traces/report.txt")"
rm -rf "$traces"
