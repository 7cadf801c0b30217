#!/usr/bin/env bash
# One command from a fresh clone to a running system: broker, databases, the three services, the
# console, and a demo scenario that shows events crossing services and drift reaching a manager.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
scripts/kafka.sh ensure
scripts/postgres.sh ensure
scripts/redis.sh ensure
scripts/build.sh
scripts/services.sh start
node dist/scripts/demo.js
cat <<MSG

The system is running:
  cases     http://127.0.0.1:3001/docs
  plo       http://127.0.0.1:3002/docs
  alerting  http://127.0.0.1:3003/docs

  console   http://127.0.0.1:${CONSOLE_HTTP_PORT:-3000}
            Sign in as Sam Okafor (team manager, North 1) to see this week's drift;
            Kim Adeyemi (legal) for proceedings; Jo Whitfield (service manager) for the teams and KPIs.
Logs: .local/logs/   Stop everything: npm run down
MSG
