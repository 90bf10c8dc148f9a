#!/usr/bin/env bash
# Cold `dpccheck audit` against `javac` and PMD 7 (quickstart ruleset) on generated projects, in one
# run, side by side: wall time and peak RSS from /usr/bin/time. dpccheck is timed as users run it
# (the ./dpccheck launcher, with its class archive made beforehand) and as a plain `java -jar`.
# Nothing is asserted.
#
#   bench/audit.sh [SIZES...]      default sizes: 10000 60000 250000 (lines)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-10000 60000 250000}")
[ $# -gt 0 ] || SIZES=(10000 60000 250000)
WORK=${BENCH_WORK:-/tmp/dpccheck-bench}
JAR=cli/target/dpccheck.jar
if [ ! -f "$JAR" ]; then
    mvn -B -q -DskipTests install >&2
fi
# the generator and PMD (pmd-cli and pmd-java from Maven Central), built and fetched by Maven
mvn -B -q -f bench/pom.xml package dependency:copy-dependencies -DoutputDirectory=target/lib >&2
API=kernel/target/classes
mkdir -p "$WORK"

measure() { # label command... -> "seconds max_rss_mib"
    local log
    log=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>"$WORK/last.err" || true
    tail -1 "$log" | awk '{ printf "%s %.0f", $1, $2 / 1024 }'
    rm -f "$log"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); PMD $(ls bench/target/lib | sed -n 's/^pmd-java-\(.*\)\.jar$/\1/p')"
echo
echo "| lines | files | driver files | ./dpccheck audit s | java -jar audit s | javac s | PMD s | audit/javac | audit/PMD | audit RSS MiB | javac RSS MiB | PMD RSS MiB | findings |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
    dir="$WORK/corpus-$n"
    rm -rf "$dir" "$WORK/classes-$n"
    java -cp bench/target/classes dev.dpccheck.bench.CorpusGenerator testdata/drivers "$dir" "$n" 1 >&2
    files=$(find "$dir" -name '*.java' | wc -l)
    drivers=$(find "$dir/gen/drivers" -name '*.java' | wc -l)
    find "$dir" -name '*.java' > "$WORK/sources-$n.txt"
    ./dpccheck audit testdata/drivers/uart >/dev/null 2>&1 || true   # first use: the launcher's class archive
    read -r a_s a_m <<<"$(measure ./dpccheck audit "$dir")"
    read -r r_s r_m <<<"$(measure java -jar "$JAR" audit "$dir")"
    findings=$(./dpccheck audit "$dir" 2>/dev/null | tail -1 | cut -d' ' -f1)
    mkdir -p "$WORK/classes-$n"
    read -r j_s j_m <<<"$(measure javac -nowarn -proc:none -d "$WORK/classes-$n" -cp "$API" "@$WORK/sources-$n.txt")"
    read -r p_s p_m <<<"$(measure java -cp "bench/target/lib/*" net.sourceforge.pmd.cli.PmdCli check --no-cache \
        --no-progress -d "$dir" -R rulesets/java/quickstart.xml -f text)"
    awk -v n="$n" -v f="$files" -v d="$drivers" -v a="$a_s" -v r="$r_s" -v j="$j_s" -v p="$p_s" -v am="$a_m" \
        -v jm="$j_m" -v pm="$p_m" -v fi="$findings" 'BEGIN { printf "| %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %d | %s |\n",
        n, f, d, a, r, j, p, a / j, a / p, am, jm, pm, fi }'
done
