#!/usr/bin/env bash
# The README's test command: installs test dependencies, builds, runs every test project, and ends with
# one line "N passed, N failed" (summed over the test assemblies).
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build LeakLab.sln -c Release --nologo -v quiet 2>&1 | tee -a "$log" | grep -E "error|Build succeeded" || true
if ! grep -q "Build succeeded" "$log" || grep -qE " error [A-Z]+[0-9]+" "$log"; then
  echo "test.sh: the build failed; see the errors above" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

: > "$log"
dotnet test LeakLab.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per assembly: "Passed!  - Failed: 0, Passed: 42, Skipped: 1, Total: 43, ..."
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the runner itself failed (crash, timeout) without counting a failed test
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ]
