#!/usr/bin/env bash
# Validates the SARIF that `dpccheck audit` writes for all of testdata, and that `audit --validate`
# writes for a seeded driver, with Microsoft's SARIF multitool (npm @microsoft/sarif-multitool), and fails on any error or warning it reports: the
# multitool itself exits 0 either way. Run by the cli module's integration-test phase.
#
#   sarif-multitool.sh TARGET_DIR
set -euo pipefail
target=$1
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
tool="$target/sarif-multitool"
sarif="$target/testdata.sarif"
version=5.7.0
if [ ! -x "$tool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
    mkdir -p "$tool"
    npm install --prefix "$tool" --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$version" >&2
    # npm does not run the package's install script that marks the binary executable
    chmod u+x "$tool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
fi
cd "$root"

# check FILE: fails, with the multitool's report, unless it finds the SARIF log clean
check() {
    local report problems
    report=$("$tool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" validate "$1" 2>&1 || true)
    problems=$(grep -E ': (error|warning) [A-Z]+[0-9]+' <<<"$report" || true)
    if [ -n "$problems" ] || ! grep -q 'Analysis completed successfully' <<<"$report"; then
        echo "$report" >&2
        echo "sarif-multitool.sh: the SARIF multitool reports problems in $1" >&2
        exit 1
    fi
}

set +e
java -jar "$target/dpccheck.jar" audit testdata --format sarif -o "$sarif" 2>/dev/null
status=$?
set -e
if [ "$status" -ne 1 ]; then
    echo "sarif-multitool.sh: 'dpccheck audit testdata' exited $status, not 1" >&2
    exit 1
fi
check "$sarif"
echo "SARIF multitool $version: $sarif is clean ($(grep -c '"ruleId"' "$sarif") results)"
# and the SARIF of a validated audit: validation properties, and results of runtime-only checks
validated="$target/validated.sarif"
set +e
java -jar "$target/dpccheck.jar" audit --validate --schedules 20 --traces "$target/validated-traces" --format sarif \
    -o "$validated" testdata/drivers/seeded/start-next-too-early 2>/dev/null
status=$?
set -e
if [ "$status" -ne 1 ]; then
    echo "sarif-multitool.sh: 'dpccheck audit --validate' exited $status, not 1" >&2
    exit 1
fi
check "$validated"
echo "SARIF multitool $version: $validated is clean ($(grep -c '"status"' "$validated") validated results)"
