#!/usr/bin/env bash
# The cost of each report format on testdata/ (every seeded driver and the corpus): wall time, peak
# RSS (from /usr/bin/time) and size of `dpccheck audit --format F -o FILE`, the jar run as
# `java -jar`; then the HTML of a validated audit of the seeded drivers, which embeds a trace view
# per finding the kernel showed, and `replay --html` of the longest of those traces. Markdown to
# stdout; nothing is asserted.
#
#   bench/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=cli/target/dpccheck.jar
if [ ! -f "$JAR" ]; then
    mvn -B -q -DskipTests -Dinvoker.skip install >&2
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() { # output command... -> "seconds max_rss_mib bytes"
    local log out=$1
    shift
    log=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>"$WORK/last.err" || true
    printf '%s %s\n' "$(tail -1 "$log" | awk '{ printf "%s %.0f", $1, $2 / 1024 }')" "$(stat -c %s "$out" 2>/dev/null || echo 0)"
    rm -f "$log"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo
echo "| command | wall s | peak RSS MiB | output bytes |"
echo "|---|---:|---:|---:|"
for f in text json sarif html; do
    read -r s m b < <(measure "$WORK/report.$f" java -jar "$JAR" audit --format "$f" -o "$WORK/report.$f" testdata)
    echo "| audit --format $f testdata | $s | $m | $b |"
done
read -r s m b < <(measure "$WORK/validated.html" java -jar "$JAR" audit --validate --traces "$WORK/traces" --format html \
    -o "$WORK/validated.html" testdata/drivers/seeded)
echo "| audit --validate --format html testdata/drivers/seeded | $s | $m | $b |"
longest=$(find "$WORK/traces" -name '*.trace' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
events=$(grep -c '^event' "$longest" || true)
read -r s m b < <(measure "$WORK/trace.html" java -jar "$JAR" replay --html -o "$WORK/trace.html" "$longest")
echo "| replay --html of the longest trace ($events events) | $s | $m | $b |"
