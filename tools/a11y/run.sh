#!/usr/bin/env bash
# The accessibility and keyboard checks of the HTML views (check.js), on the pages dpccheck makes of
# the seeded drivers: the static report of testdata/drivers, a validated report of three seeded
# drivers (it embeds their trace views) and `replay --html` of one of their traces. Needs Node, npm
# (axe-core and puppeteer-core are fetched here, at the versions package.json pins) and Chromium
# (apt-get install chromium). Not part of `mvn verify`: CI machines have no browser.
#
#   tools/a11y/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
jar="$root/cli/target/dpccheck.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -Dinvoker.skip install >&2)
(cd "$here" && npm install --no-audit --no-fund --silent >&2)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
seeded=testdata/drivers/seeded
java -jar "$jar" audit --format html -o "$work/static.html" testdata/drivers >/dev/null || true
java -jar "$jar" audit --validate --traces "$work/traces" --format html -o "$work/validated.html" \
    "$seeded/start-next-too-early" "$seeded/shared-context-unsynchronized" "$seeded/wait-in-dpc" >/dev/null || true
trace=$(find "$work/traces" -name 'DataRace-*.trace' | sort | head -1)
java -jar "$jar" replay --html -o "$work/trace.html" "$trace" >/dev/null || true
node "$here/check.js" "$work/static.html" "$work/validated.html" "$work/trace.html"
