#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: a temporary folder, a free loopback port,
# removed afterwards. DATABASE_URL points at it for the command. Exit 42 when no server binaries
# (a code pytest never uses).
set -euo pipefail
bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
  [ -x "$candidate/initdb" ] && bindir="$candidate"
done
if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir="$(pg_config --bindir)"
fi
if [ -z "$bindir" ]; then
  echo "No PostgreSQL server binaries (initdb) found." >&2
  exit 42
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/portal-pg.XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_owner=()
if [ "$(id -u)" = "0" ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres system user.
  chown postgres "$workdir"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

"${as_owner[@]}" "$bindir/initdb" -D "$workdir/data" -U portal -A trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
# Durability off: this cluster lives for one test run.
"${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }
echo "Throwaway PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://portal@127.0.0.1:$port/portal"
# For a command that restarts the server on purpose (scripts/load.py): pg_ctl, the cluster, the user it runs as.
export PORTAL_PG_CTL="$bindir/pg_ctl" PORTAL_PG_DATA="$workdir/data" PORTAL_PG_OWNER="${as_owner[2]:-}"
"$@"
