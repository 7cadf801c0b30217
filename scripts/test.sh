#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs dependencies, starts (or finds) a real Kafka
# broker, PostgreSQL and Keycloak (scripts/keycloak.sh, which needs Java 21+), builds, type-checks,
# then runs unit and integration tests with jest. Lint and the formatting check come first: they take
# seconds, the broker, Keycloak and the integration tests minutes.
#
#   KAFKA_BROKERS   use this cluster instead of starting the local broker
#   PG_ADMIN_URL    use this PostgreSQL server (an administrative login) instead of the local one
#   CHROMIUM_PATH   drive this Chromium in the browser tests instead of Debian's /usr/bin/chromium,
#                   which is installed with apt-get when missing
# Extra arguments go to jest, e.g. `npm test -- test/event-flow.int-spec.ts`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/ensure-deps.sh
echo "linting" >&2
npm run --silent lint
echo "checking formatting (npm run format fixes it)" >&2
npm run --silent format:check

# A broker, Keycloak or Redis this run started is stopped when it ends; one that was already up is left alone.
started_broker=false
started_keycloak=false
started_redis=false
stop_what_this_run_started() {
  if $started_redis; then scripts/redis.sh stop || true; fi
  if $started_keycloak; then scripts/keycloak.sh stop || true; fi
  if $started_broker; then scripts/kafka.sh stop || true; fi
}
trap stop_what_this_run_started EXIT

if [ -z "${KAFKA_BROKERS:-}" ]; then
  if ! scripts/kafka.sh status 2>/dev/null; then started_broker=true; fi
  scripts/kafka.sh ensure
  export KAFKA_BROKERS=127.0.0.1:${KAFKA_LOCAL_PORT:-9092}
fi
# The OpenID provider whose tokens test/keycloak-tokens.int-spec.ts takes to the services.
if ! scripts/keycloak.sh status 2>/dev/null; then started_keycloak=true; fi
scripts/keycloak.sh ensure

scripts/postgres.sh ensure
# The shared rate-limit store test/rate-limit-shared.int-spec.ts runs two instances against.
if ! scripts/redis.sh status 2>/dev/null; then started_redis=true; fi
scripts/redis.sh ensure
CHROMIUM_PATH=$(scripts/chromium.sh ensure)
export CHROMIUM_PATH
scripts/build.sh
echo "type-checking" >&2
npx tsc --noEmit -p tsconfig.json

mkdir -p .local
results=.local/jest-results.json
set +e
# In band: the integration tests start real service processes, and this machine has two cores.
npx jest --runInBand --json --outputFile="$results" "$@"
status=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" || true
exit $status
