#!/usr/bin/env bash
# Installs what is missing, then runs every check and test. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/install-prerequisites.sh --browser || exit 1
scripts/build-assets.sh || exit 1

passed=0
failed=0

echo "== Build (warnings are errors)"
if ! dotnet build Haven.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== Formatting (dotnet format --verify-no-changes)"
if dotnet format Haven.sln --verify-no-changes --no-restore -v quiet; then
  passed=$((passed + 1)); echo "formatting: passed"
else
  failed=$((failed + 1)); echo "formatting: FAILED (run: dotnet format Haven.sln)"
fi

echo "== Tests (unit, integration against a throwaway PostgreSQL cluster, browser in headless Chromium)"
results="$(mktemp -d)/results.xml"
dotnet tests/Haven.Tests/bin/Release/net10.0/Haven.Tests.dll -noColor -xml "$results"
if [[ -f "$results" ]]; then
  read -r t_passed t_failed t_skipped < <(python3 - "$results" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
p = f = s = 0
for a in root.iter('assembly'):
    p += int(a.get('passed', 0)); f += int(a.get('failed', 0)) + int(a.get('errors', 0) or 0); s += int(a.get('skipped', 0))
print(p, f, s)
PY
)
  passed=$((passed + t_passed)); failed=$((failed + t_failed))
  skipped=${t_skipped}
else
  echo "The test runner produced no results."
  failed=$((failed + 1)); skipped=0
fi

if [[ ${skipped:-0} -gt 0 ]]; then
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
else
  echo "${passed} passed, ${failed} failed"
fi
[[ $failed -eq 0 ]]
