#!/usr/bin/env bash
# The suite under load (issue 21's acceptance): starts two busy loops (one core each), runs the suite N times in a
# row beside them, stops the loops, and prints pass/fail for each run. A user's laptop is a busy machine: no test may
# depend on an idle one. Each run's output goes to test-artifacts/busy-suite/run-<n>.log.
#
#   scripts/busy-suite.sh                      # npm test, 3 times
#   scripts/busy-suite.sh 3 vitest             # only `vitest run` (no build, typecheck, lint, Bicep), 3 times
#   scripts/busy-suite.sh 2 future             # npm run test:future (the clock a year ahead), twice
#   scripts/busy-suite.sh 3 vitest test/probe  # vitest and future pass the rest on (test files, vitest flags)
#   BUSY_LOOPS=4 scripts/busy-suite.sh 1       # more neighbours
#
# Exit status: 0 when every run passed.
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
WHAT="${2:-test}"
LOOPS="${BUSY_LOOPS:-2}"
case "$WHAT" in
  test) CMD=(npm test) ;;
  vitest) CMD=(npx vitest run "${@:3}") ;;
  future) CMD=(npm run test:future -- "${@:3}") ;;
  *) echo "busy-suite: the second argument is test, vitest or future, not '$WHAT'" >&2; exit 2 ;;
esac
if ! [[ "$RUNS" =~ ^[1-9][0-9]?$ ]]; then echo "busy-suite: runs must be 1–99, not '$RUNS'" >&2; exit 2; fi

LOGS=test-artifacts/busy-suite
mkdir -p "$LOGS"
busy=()
stop_loops() {
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null; done
  busy=()
}
trap stop_loops EXIT
trap 'stop_loops; exit 130' INT TERM
for _ in $(seq "$LOOPS"); do
  (while :; do :; done) &
  busy+=("$!")
done
echo "busy-suite: ${LOOPS} busy loops running (pids ${busy[*]}); ${RUNS} run(s) of: ${CMD[*]}"

results=()
failed=0
for n in $(seq "$RUNS"); do
  start=$(date +%s)
  if "${CMD[@]}" >"$LOGS/run-$n.log" 2>&1; then verdict=pass; else verdict=FAIL; failed=$((failed + 1)); fi
  took=$(($(date +%s) - start))
  # vitest's own summary lines, e.g. "Tests  812 passed (812)"
  summary=$(sed -e 's/\x1b\[[0-9;]*m//g' "$LOGS/run-$n.log" | grep -E '^ +(Test Files|Tests) ' | tr -s ' ' | paste -sd ';' -)
  results+=("run $n/$RUNS: $verdict in ${took} s — ${summary:-no vitest summary} (log: $LOGS/run-$n.log)")
  echo "${results[-1]}"
done
stop_loops
echo "busy-suite: $((RUNS - failed)) passed, ${failed} failed (${LOOPS} busy loops beside each run)"
[ "$failed" = 0 ]
