#!/usr/bin/env bash
# A real OpenID Connect provider (Keycloak, development mode) for the console, demos and tests, without Docker.
#
#   scripts/keycloak.sh ensure   start it unless the realm already answers on 127.0.0.1:8180 (idempotent)
#   scripts/keycloak.sh start    same as ensure
#   scripts/keycloak.sh stop     stop the Keycloak this script started
#   scripts/keycloak.sh status   say whether the realm answers
#   scripts/keycloak.sh url      print the realm's issuer URL (what AUTH_ISSUER and the console use)
#   scripts/keycloak.sh reset    stop it and delete its data (the next start imports the realm afresh)
#
# The realm is deploy/keycloak/plo-realm.json: its clients, personas and claim mappers. It is imported
# at start, and whenever that file has changed since the last import Keycloak's database is deleted
# first (and a running Keycloak of this script restarted), so the realm that runs is the one in git:
# changes made in the admin console last only until the file next changes, or `reset`.
#
# Everything it keeps (distribution, database, log, pid) lives under .local/keycloak, which git ignores.
# The distribution comes from Maven Central by Maven. Keycloak needs Java 21+; the services' Java 17
# is not enough, so a newer JDK is looked for (KEYCLOAK_JAVA_HOME, JAVA_HOME, then /usr/lib/jvm).
# Development only: the admin login (admin / plo-dev-password), the personas' shared password and the
# console's client secret in the realm file are public, and Keycloak runs over plain HTTP on loopback.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${KEYCLOAK_VERSION:-26.4.0}"
HOME_DIR="${KEYCLOAK_LOCAL_HOME:-$ROOT/.local/keycloak}"
DIST="$HOME_DIR/keycloak-$VERSION"
LOG="$HOME_DIR/keycloak.log"
PIDFILE="$HOME_DIR/keycloak.pid"
IMPORTED="$HOME_DIR/imported-realm.sha256"
REALM_FILE="$ROOT/deploy/keycloak/plo-realm.json"
HOST=127.0.0.1
PORT="${KEYCLOAK_PORT:-8180}"
ISSUER="http://$HOST:$PORT/realms/plo"
ARTIFACT="org.keycloak:keycloak-quarkus-dist:$VERSION:zip"

say() { printf 'keycloak: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

realm_answers() { curl -sf -o /dev/null --max-time 2 "$ISSUER/.well-known/openid-configuration"; }
port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }

# Prints a JDK home of Java 21 or newer, preferring what the caller named.
find_java() {
  local candidate major
  for candidate in "${KEYCLOAK_JAVA_HOME:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -Vr); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(java_major "$candidate")
    if [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  return 1
}

require_tools() {
  command -v curl >/dev/null 2>&1 || die "curl is needed to tell when Keycloak is ready (Debian: apt-get install curl)"
  JAVA_HOME_KC=$(find_java) || die "Keycloak needs Java 21 or newer and none was found in KEYCLOAK_JAVA_HOME, JAVA_HOME or /usr/lib/jvm; set KEYCLOAK_JAVA_HOME to a JDK 21+ home (npm run up skips Keycloak with KEYCLOAK=off)"
}

fetch_distribution() {
  [ -x "$DIST/bin/kc.sh" ] && return
  local repository="${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}"
  local zip="$repository/org/keycloak/keycloak-quarkus-dist/$VERSION/keycloak-quarkus-dist-$VERSION.zip"
  if [ ! -f "$zip" ]; then
    command -v mvn >/dev/null 2>&1 || die "Maven is needed once to fetch Keycloak from Maven Central and 'mvn' is not on PATH (Debian: apt-get install maven)."
    say "fetching Keycloak $VERSION (about 160 MB) from Maven Central"
    mvn -q -B dependency:get -Dartifact="$ARTIFACT" >"$HOME_DIR/maven.log" 2>&1 || die "Maven could not fetch $ARTIFACT; see $HOME_DIR/maven.log"
  fi
  command -v unzip >/dev/null 2>&1 || die "unzip is needed to unpack Keycloak (Debian: apt-get install unzip)"
  say "unpacking Keycloak $VERSION into $DIST"
  local staging="$HOME_DIR/.unpacking"
  rm -rf "$staging"
  unzip -q "$zip" -d "$staging" || die "could not unpack $zip"
  rm -rf "$DIST"
  mv "$staging/keycloak-$VERSION" "$DIST"
  rm -rf "$staging"
}

realm_digest() { sha256sum "$REALM_FILE" | cut -d' ' -f1; }

# Keycloak imports a realm only if it does not exist yet, so a changed file needs an empty database.
prepare_realm() {
  IMPORTING=$(realm_digest)
  if [ "$(cat "$IMPORTED" 2>/dev/null)" != "$IMPORTING" ]; then
    [ -d "$DIST/data/h2" ] && say "the realm file changed since the last import: deleting Keycloak's database to import it again"
    rm -rf "$DIST/data/h2"
  fi
  mkdir -p "$DIST/data/import"
  cp "$REALM_FILE" "$DIST/data/import/plo-realm.json"
  # Written again once the realm answers: a start that fails part-way imports afresh next time.
  rm -f "$IMPORTED"
}

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  # Only if that pid is still this distribution's kc.sh or JVM: `stop` signals its whole process group.
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIST/" && echo "$pid"
}

# Two cores shared with builds and tests can make a first start (schema, realm import) take minutes.
wait_ready() {
  local timeout=${KEYCLOAK_START_TIMEOUT:-180}
  local deadline=$((SECONDS + timeout))
  until realm_answers; do
    running_pid >/dev/null || die "Keycloak exited while starting; last lines of $LOG:
$(tail -n 30 "$LOG" 2>/dev/null)"
    if [ $SECONDS -ge $deadline ]; then
      local tail_of_log
      tail_of_log=$(tail -n 30 "$LOG" 2>/dev/null)
      # A half-started Keycloak left behind would hold the port and the database against the next try.
      stop
      die "Keycloak did not serve the realm within $timeout s (KEYCLOAK_START_TIMEOUT); last lines of $LOG:
$tail_of_log"
    fi
    sleep 1
  done
}

start() {
  if running_pid >/dev/null && ! realm_answers; then
    say "the Keycloak this script started is still starting; waiting for it"
    wait_ready
    return
  fi
  if realm_answers; then
    if running_pid >/dev/null && [ "$(cat "$IMPORTED" 2>/dev/null)" != "$(realm_digest)" ]; then
      say "the realm file changed since this Keycloak imported it; restarting it"
      stop
    else
      say "the realm already answers at $ISSUER; reusing it"
      return
    fi
  fi
  port_open && die "something other than this realm listens on $HOST:$PORT; stop it or set KEYCLOAK_PORT"
  mkdir -p "$HOME_DIR"
  require_tools
  fetch_distribution
  prepare_realm
  say "starting Keycloak $VERSION on $HOST:$PORT with $(basename "$JAVA_HOME_KC") (log: $LOG)"
  local began=$SECONDS
  # Its own session, so `stop` can end kc.sh and the JVM it starts (and restarts) together.
  JAVA_HOME="$JAVA_HOME_KC" \
    JAVA_OPTS_KC_HEAP="${KEYCLOAK_HEAP:--Xms64m -Xmx512m}" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin \
    KC_BOOTSTRAP_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:-plo-dev-password}" \
    setsid nohup "$DIST/bin/kc.sh" start-dev \
    --http-host="$HOST" --http-port="$PORT" \
    --hostname="http://$HOST:$PORT" \
    --import-realm >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
  echo "$IMPORTING" >"$IMPORTED"
  say "ready in $((SECONDS - began)) s: issuer $ISSUER (admin console http://$HOST:$PORT/admin, admin / ${KEYCLOAK_ADMIN_PASSWORD:-plo-dev-password})"
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 -- "-$pid" 2>/dev/null && kill -KILL -- "-$pid"
    rm -f "$PIDFILE"
    say "stopped"
  else
    say "no Keycloak started by this script is running"
  fi
}

case "${1:-ensure}" in
  ensure|start) start ;;
  stop) stop ;;
  status) if realm_answers; then say "up: $ISSUER"; else say "down"; exit 3; fi ;;
  url) echo "$ISSUER" ;;
  reset) stop; rm -rf "$DIST/data/h2" "$IMPORTED"; say "data deleted" ;;
  *) die "usage: $0 ensure|start|stop|status|url|reset" ;;
esac
