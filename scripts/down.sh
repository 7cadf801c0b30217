#!/usr/bin/env bash
# Stops the services, Keycloak, the broker and Redis that `npm run up` started (data is kept under .local/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/services.sh stop
scripts/keycloak.sh stop
scripts/kafka.sh stop
scripts/redis.sh stop
