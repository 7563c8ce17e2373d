#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the storage tests and prints the line
#   export SPARTA_TEST_POSTGRES=postgresql://sparta:sparta@127.0.0.1:PORT/sparta_test
# so a caller can run: eval "$(scripts/start-postgres.sh)". Running it again while the server is up
# only prints the line. `scripts/start-postgres.sh --stop` stops the server and deletes its files.
# Works as root on a fresh Debian machine (installs postgresql, runs the server as user postgres)
# and as an ordinary user who has the PostgreSQL binaries installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${SPARTA_POSTGRES_PORT:-54329}"
base="${SPARTA_POSTGRES_DIR:-/tmp/sparta-postgres-$port}"
data="$base/data"
url="postgresql://sparta:sparta@127.0.0.1:$port/sparta_test"

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "start-postgres.sh: PostgreSQL is not installed (as root: apt-get install postgresql)" >&2
    exit 1
  fi
  source "$root/scripts/ensure-packages.sh"
  ensure_packages postgresql
fi
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# The server refuses to run as root: as root, run every server command as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2; fi
  rm -rf "$base"
  exit 0
fi

if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$base"
    mkdir -p "$base"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$base"
    printf 'sparta\n' >"$base/password"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$base/password"
    as_owner "$bin/initdb" -D "$data" -U sparta --pwfile="$base/password" --auth=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; exit 1; }
  fi
  # Sockets and logs stay under $base, so nothing outside it is needed (no /var/run/postgresql).
  as_owner "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$base -c fsync=off -c max_connections=100" \
    start >&2 || { cat "$base/server.log" >&2; exit 1; }
fi

export PGPASSWORD=sparta
if [ "$("$bin/psql" -h 127.0.0.1 -p "$port" -U sparta -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'sparta_test'")" != "1" ]; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U sparta sparta_test
fi
echo "export SPARTA_TEST_POSTGRES=$url"
