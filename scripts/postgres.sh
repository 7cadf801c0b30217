#!/usr/bin/env bash
# Makes sure a PostgreSQL server is reachable and holds the service role and databases.
#
#   scripts/postgres.sh ensure            role `plo` and databases plo_cases, plo_proceedings, plo_alerting, plo_console
#   scripts/postgres.sh ensure-db NAME…   the role plus the named databases (tests use their own)
#   scripts/postgres.sh drop-db NAME…     drop databases (tests clean up after themselves)
#
# PG_ADMIN_URL names the server and an administrative login (default: the local server as `postgres`).
# If nothing answers and PG_ADMIN_URL is not set, a locally installed cluster is started.
set -euo pipefail

ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
SERVICE_ROLE="${PG_SERVICE_ROLE:-plo}"

say() { printf 'postgres: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

command -v psql >/dev/null 2>&1 || die "the psql client is needed (Debian: apt-get install postgresql-client)"

reachable() { psql "$ADMIN_URL" -Atqc 'SELECT 1' >/dev/null 2>&1; }

start_local() {
  [ -n "${PG_ADMIN_URL:-}" ] && die "nothing answers at PG_ADMIN_URL; start that server first"
  command -v pg_ctlcluster >/dev/null 2>&1 || die "no PostgreSQL answers on 127.0.0.1:5432 and none is installed (Debian: apt-get install postgresql)"
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || die "PostgreSQL is installed but has no cluster in /etc/postgresql"
  say "starting the local PostgreSQL $version cluster"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || die "could not start PostgreSQL $version"
  for _ in $(seq 1 30); do reachable && return; sleep 1; done
  die "PostgreSQL did not come up"
}

ensure_role() {
  psql "$ADMIN_URL" -Atqc "SELECT 1 FROM pg_roles WHERE rolname = '$SERVICE_ROLE'" | grep -q 1 \
    || psql "$ADMIN_URL" -qc "CREATE ROLE \"$SERVICE_ROLE\" LOGIN PASSWORD '${PG_SERVICE_PASSWORD:-plo}'" >/dev/null
}

ensure_db() {
  local name=$1
  [[ "$name" =~ ^[a-z0-9_]+$ ]] || die "refusing database name '$name'"
  if ! psql "$ADMIN_URL" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$ADMIN_URL" -qc "CREATE DATABASE \"$name\" OWNER \"$SERVICE_ROLE\"" >/dev/null
    say "created database $name"
  fi
}

drop_db() {
  local name=$1
  [[ "$name" =~ ^[a-z0-9_]+$ ]] || die "refusing database name '$name'"
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
}

reachable || start_local
case "${1:-ensure}" in
  ensure) ensure_role; for db in plo_cases plo_proceedings plo_alerting plo_console; do ensure_db "$db"; done ;;
  ensure-db) shift; ensure_role; for db in "$@"; do ensure_db "$db"; done ;;
  drop-db) shift; for db in "$@"; do drop_db "$db"; done ;;
  *) die "usage: $0 ensure | ensure-db NAME… | drop-db NAME…" ;;
esac
