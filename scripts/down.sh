#!/usr/bin/env bash
# Stops the services, Keycloak and the broker that `npm run up` started (data is kept under .local/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/services.sh stop
scripts/keycloak.sh stop
scripts/kafka.sh stop
