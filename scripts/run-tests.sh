#!/usr/bin/env bash
# Runs AccML's test suites against the build in $1 (default: build) and ends
# with one summary line, "N passed, N failed".
set -uo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
lit="${LIT:-/usr/lib/llvm-22/bin/lit}"
jobs="${JOBS:-2}"

passed=0
failed=0

# The lit regression suite (test/). lit's --xunit-xml-output gives counts we
# can add up without scraping its progress lines.
xml="$(mktemp)"
"$lit" -sv -j "$jobs" --xunit-xml-output "$xml" "$build/test"
lit_status=$?
tests=$(grep -o 'tests="[0-9]*"' "$xml" | head -1 | grep -o '[0-9]*')
failures=$(grep -o 'failures="[0-9]*"' "$xml" | head -1 | grep -o '[0-9]*')
skipped=$(grep -o 'skipped="[0-9]*"' "$xml" | head -1 | grep -o '[0-9]*')
rm -f "$xml"
tests=${tests:-0}; failures=${failures:-0}; skipped=${skipped:-0}
if [ "$lit_status" -ne 0 ] && [ "$failures" -eq 0 ]; then
  failures=1 # lit itself failed (bad configuration, no tests found ...)
fi
passed=$((passed + tests - failures - skipped))
failed=$((failed + failures))

echo "lit: $((tests - failures - skipped)) passed, $failures failed, $skipped skipped"

# Unit tests (gtest).
gxml="$(mktemp)"
"$build/unittests/AccmlUnitTests" --gtest_brief=1 --gtest_output="xml:$gxml"
ut_tests=$(grep -o 'tests="[0-9]*"' "$gxml" | head -1 | grep -o '[0-9]*')
ut_failures=$(grep -o 'failures="[0-9]*"' "$gxml" | head -1 | grep -o '[0-9]*')
rm -f "$gxml"
ut_tests=${ut_tests:-0}; ut_failures=${ut_failures:-1}
passed=$((passed + ut_tests - ut_failures))
failed=$((failed + ut_failures))
echo "unit: $((ut_tests - ut_failures)) passed, $ut_failures failed"

# Numerical integration tests (pytest, against numpy references), once per
# loop strategy of accml-cpu-pipeline: the linalg route (the default) and
# the affine route.
for strategy in linalg affine; do
  junit="$(mktemp)"
  ACCML_BUILD_DIR="$(cd "$build" && pwd)" ACCML_TEST_LOOP_STRATEGY="$strategy" \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider -n "$jobs" \
    --junitxml="$junit" "$root/integration_test"
  py_tests=$(grep -o 'tests="[0-9]*"' "$junit" | head -1 | grep -o '[0-9]*')
  py_failures=$(grep -o 'failures="[0-9]*"' "$junit" | head -1 | grep -o '[0-9]*')
  py_errors=$(grep -o 'errors="[0-9]*"' "$junit" | head -1 | grep -o '[0-9]*')
  py_skipped=$(grep -o 'skipped="[0-9]*"' "$junit" | head -1 | grep -o '[0-9]*')
  rm -f "$junit"
  py_tests=${py_tests:-0}; py_failures=$(( ${py_failures:-0} + ${py_errors:-0} ))
  py_skipped=${py_skipped:-0}
  if [ "$py_tests" -eq 0 ]; then
    py_failures=1 # pytest did not run (import error, no tests found)
  fi
  passed=$((passed + py_tests - py_failures - py_skipped))
  failed=$((failed + py_failures))
  echo "integration ($strategy route): $((py_tests - py_failures - py_skipped)) passed, $py_failures failed, $py_skipped skipped"
done

# The committed dialect and pass reference matches the TableGen sources.
if "$root/scripts/update-docs.sh" "$build" --check; then
  echo "docs: generated reference is up to date"
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
