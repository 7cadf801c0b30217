#!/usr/bin/env bash
# One command from a fresh clone to a running system: broker, Keycloak, databases, the three services,
# and a small demo scenario that shows an event crossing from one service to the others.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
scripts/kafka.sh ensure
# The OpenID provider for the console's sign-in; KEYCLOAK=off does without it (it needs Java 21+).
if [ "${KEYCLOAK:-on}" = off ]; then echo "keycloak: skipped (KEYCLOAK=off)" >&2; else scripts/keycloak.sh ensure; fi
scripts/postgres.sh ensure
scripts/build.sh
scripts/services.sh start
node dist/scripts/demo.js
cat <<MSG

The system is running:
  cases     http://127.0.0.1:3001/docs
  plo       http://127.0.0.1:3002/docs
  alerting  http://127.0.0.1:3003/docs
MSG
if [ "${KEYCLOAK:-on}" != off ]; then
  echo "  keycloak  $(scripts/keycloak.sh url) (admin console http://127.0.0.1:${KEYCLOAK_PORT:-8180}/admin)"
fi
echo "Logs: .local/logs/, .local/keycloak/keycloak.log   Stop everything: npm run down"
