#!/usr/bin/env bash
# One command from a fresh clone to a running system: broker, databases, the three services, and a
# small demo scenario that shows an event crossing from one service to the others.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
scripts/kafka.sh ensure
scripts/postgres.sh ensure
scripts/build.sh
scripts/services.sh start
node dist/scripts/demo.js
cat <<MSG

The system is running:
  cases     http://127.0.0.1:3001/docs
  plo       http://127.0.0.1:3002/docs
  alerting  http://127.0.0.1:3003/docs
Logs: .local/logs/   Stop everything: npm run down
MSG
