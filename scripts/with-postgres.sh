#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server (Debian's postgresql package) on a free loopback port,
# runs the given command with DATABASE_URL pointing at it, then stops the server.
# Usage: scripts/with-postgres.sh <command...>
set -euo pipefail

pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_bin="$dir"
done
if [ -z "$pg_bin" ]; then
  echo "with-postgres: PostgreSQL server binaries not found; install them with: apt-get install -y postgresql" >&2
  exit 2
fi

port="${PGTEST_PORT:-54329}"
work=$(mktemp -d /tmp/iro-pg.XXXXXX)
run_as=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$work"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
  || { cat "$work/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
