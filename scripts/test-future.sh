#!/usr/bin/env bash
# npm run test:future — the test suite with the clock a year ahead (libfaketime), so a test that pins a date but
# reads today's (or a fixture that expires) fails here first, not on the first user's laptop next year. Not part of
# `npm test`: it needs faketime. Without it this prints why it skipped and exits 0; CANARY_INSTALL_FAKETIME=1 lets it
# install the Debian package first (as root, with apt-get). Extra arguments go to vitest (e.g. one test file).
#
#   npm run test:future                         # the whole suite, 365 days ahead
#   CANARY_FUTURE_OFFSET=+730d npm run test:future -- test/cost/drift.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."
OFFSET="${CANARY_FUTURE_OFFSET:-+365d}"

if ! command -v faketime >/dev/null && [ "${CANARY_INSTALL_FAKETIME:-}" = 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test:future: installing faketime (CANARY_INSTALL_FAKETIME=1)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q faketime >/dev/null
  else
    echo "test:future: CANARY_INSTALL_FAKETIME=1 needs root and apt-get; not installing"
  fi
fi
if ! command -v faketime >/dev/null; then
  echo "test:future: SKIPPED — faketime is not installed, so the suite was not run with the clock ${OFFSET} ahead."
  echo "  Install it (Debian/Ubuntu: apt-get install faketime; macOS: brew install libfaketime), or run"
  echo "  CANARY_INSTALL_FAKETIME=1 npm run test:future as root to let this script install it."
  exit 0
fi

# the CLI tests run the built dist/; build at today's date, then run the tests in the future
npm run build --silent
# only the wall clock moves: monotonic clocks (timers, performance.now) stay as they are
export FAKETIME_DONT_FAKE_MONOTONIC=1
echo "test:future: the clock is ${OFFSET} ahead: $(faketime -f "$OFFSET" date -u '+%Y-%m-%d %H:%M UTC')"
exec faketime -f "$OFFSET" npx vitest run "$@"
