#!/usr/bin/env bash
# Schedules to find each seeded variant under testdata/drivers/seeded, per strategy: schedules 1,
# 2, ... (seeds 1, 2, ..., fault rate 0.05, as DriverCorpusTest runs them) until every marker of
# the variant has been seen, at most N. The kernel runs in this JVM (the seeded drivers are ours).
# A Markdown table with each strategy's median goes to stdout; nothing is asserted.
#
#   bench/seeded.sh [N] [STRATEGY...]      defaults: 1000 pct:2 pos random
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
shift || true
STRATEGIES=${*:-pct:2 pos random}
mvn -B -q -DskipTests -Dinvoker.skip install >&2
mvn -B -q -f bench/pom.xml package dependency:copy-dependencies -DoutputDirectory=target/lib >&2
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); budget $N schedules per strategy and variant"
echo
# shellcheck disable=SC2086
java -cp "bench/target/classes:bench/target/lib/*" dev.dpccheck.bench.SeededSearch testdata/drivers/seeded "$N" $STRATEGIES
