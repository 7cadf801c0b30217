#!/usr/bin/env bash
# A Redis server for the rate-limit buckets several instances of a service share (RATE_LIMIT_STORE).
#
#   scripts/redis.sh ensure   use the one answering on 127.0.0.1:$REDIS_PORT, or start redis-server there
#   scripts/redis.sh status   say whether one answers
#   scripts/redis.sh stop     stop the server this script started (one it found is left alone)
#
# The server it starts keeps nothing on disk: a bucket lost in a restart is a full bucket, which is
# what an idle caller has anyway. Its pid and log live under .local/redis, which git ignores.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${REDIS_LOCAL_HOME:-$ROOT/.local/redis}"
HOST=127.0.0.1
PORT="${REDIS_PORT:-6379}"
PIDFILE="$HOME_DIR/redis-$PORT.pid"

say() { printf 'redis: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

answering() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null)" = PONG ]
  else
    # No client installed: speak the protocol's inline PING directly.
    exec 3<>"/dev/tcp/$HOST/$PORT" 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    local reply
    read -r -t 2 reply <&3 || true
    exec 3>&-
    [ "${reply%$'\r'}" = +PONG ]
  fi
}

# A fresh machine (CI's, say) may have no Redis: as root on Debian, install the server package.
install_server() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 \
    || die "nothing answers on $HOST:$PORT and redis-server is not installed (Debian, as root: apt-get install redis-server)"
  say "installing redis-server with apt-get"
  # Waits for another apt run (another worktree's test, say) instead of failing on its lock.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q redis-server >&2 \
    || { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q >&2 \
      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q redis-server >&2; } \
    || die "apt-get could not install redis-server"
}

start() {
  command -v redis-server >/dev/null 2>&1 || install_server
  mkdir -p "$HOME_DIR"
  say "starting redis-server on $HOST:$PORT (no persistence)"
  redis-server --bind "$HOST" --port "$PORT" --save '' --appendonly no --daemonize yes \
    --pidfile "$PIDFILE" --logfile "$HOME_DIR/redis-$PORT.log" --dir "$HOME_DIR" >/dev/null
  for _ in $(seq 1 50); do answering && return; sleep 0.1; done
  die "redis-server did not answer on $HOST:$PORT; see $HOME_DIR/redis-$PORT.log"
}

stop() {
  if [ ! -f "$PIDFILE" ]; then say "no server started by this script on port $PORT"; return; fi
  local pid; pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "stopped the server on port $PORT"
  fi
  rm -f "$PIDFILE"
}

case "${1:-status}" in
  ensure | start) if answering; then say "up on $HOST:$PORT"; else start; fi ;;
  status) if answering; then say "up on $HOST:$PORT"; else say "down"; exit 3; fi ;;
  stop) stop ;;
  *) die "usage: $0 ensure|status|stop" ;;
esac
