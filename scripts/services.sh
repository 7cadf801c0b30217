#!/usr/bin/env bash
# Runs the three built services and the console in the background (logs and pids under .local/).
#
#   scripts/services.sh start   start cases, plo, alerting and the console and wait until each reports healthy
#   scripts/services.sh stop    stop them (SIGTERM: they leave their consumer groups cleanly)
#   scripts/services.sh status
#
# The services share their rate-limit buckets through Redis (scripts/redis.sh ensure), so more
# instances started the same way on other ports limit callers together; RATE_LIMIT_STORE= (empty)
# keeps each instance's buckets to itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/.local/run"
LOGS="$ROOT/.local/logs"
mkdir -p "$RUN" "$LOGS"

declare -A PORTS=([cases]="${CASES_HTTP_PORT:-3001}" [plo]="${PLO_HTTP_PORT:-3002}" [alerting]="${ALERTING_HTTP_PORT:-3003}" [console]="${CONSOLE_HTTP_PORT:-3000}")
declare -A DATABASES=([cases]=plo_cases [plo]=plo_proceedings [alerting]=plo_alerting [console]=plo_console)
APPS="cases plo alerting console"

say() { printf 'services: %s\n' "$*" >&2; }

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_one() {
  local name=$1 port=${PORTS[$1]}
  if running "$name"; then say "$name already running"; return; fi
  DATABASE_URL="${DATABASE_URL_BASE:-postgres://plo:plo@127.0.0.1:5432}/${DATABASES[$name]}" \
  HTTP_PORT="$port" \
  RATE_LIMIT_STORE="${RATE_LIMIT_STORE-redis://127.0.0.1:${REDIS_PORT:-6379}}" \
  AUTH_DEV_KEYS_FILE="${AUTH_DEV_KEYS_FILE:-$ROOT/.local/auth/dev-keys.json}" \
    nohup node --enable-source-maps --max-old-space-size="${SERVICE_HEAP_MIB:-192}" "$ROOT/dist/apps/$name/src/main.js" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

wait_healthy() {
  local name=$1 port=${PORTS[$1]} deadline=$((SECONDS + 90))
  until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    running "$name" || { say "$name exited while starting; last lines of $LOGS/$name.log:"; tail -n 20 "$LOGS/$name.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { say "$name did not become healthy; see $LOGS/$name.log"; exit 1; }
    sleep 0.5
  done
  if [ "$name" = console ]; then say "console healthy on http://127.0.0.1:$port"; else say "$name healthy on http://127.0.0.1:$port (API docs: /docs)"; fi
}

stop_one() {
  local name=$1
  running "$name" || { rm -f "$RUN/$name.pid"; return; }
  local pid; pid=$(cat "$RUN/$name.pid")
  kill "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$RUN/$name.pid"
  say "$name stopped"
}

case "${1:-status}" in
  start)
    if [ -n "${RATE_LIMIT_STORE-x}" ]; then "$ROOT/scripts/redis.sh" ensure; fi
    for s in $APPS; do start_one "$s"; done; for s in $APPS; do wait_healthy "$s"; done ;;
  stop) for s in console alerting plo cases; do stop_one "$s"; done ;;
  status) for s in $APPS; do if running "$s"; then say "$s running (pid $(cat "$RUN/$s.pid"))"; else say "$s stopped"; fi; done ;;
  *) say "usage: $0 start|stop|status"; exit 1 ;;
esac
