#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (tests/CMakeLists.txt runs it as a CTest fixture).
#
#   throwaway-postgres.sh start STATE_DIR   initdb + pg_ctl in a new temporary folder, on a free port
#                                           of 127.0.0.1; writes the server's URI to STATE_DIR/uri
#   throwaway-postgres.sh stop STATE_DIR    stops that server and deletes its folder
#
# Uses Debian's PostgreSQL binaries (/usr/lib/postgresql/N/bin, package postgresql-15) directly: no
# system service is started, used or assumed. initdb refuses to run as root, so as root (CI) the
# server runs as the unprivileged user `nobody` in a folder it owns. fsync is off (unless
# MINDSET_POSTGRES_DURABLE=1): the server and its data live only as long as the test run.
set -euo pipefail

action=${1:-}
state=${2:-}
if [[ -z "$state" || ( "$action" != start && "$action" != stop ) ]]; then
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 64
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "error: PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (install postgresql-15; .ci/setup does)" >&2
  exit 1
fi

as_owner=()
[[ $(id -u) -eq 0 ]] && as_owner=(runuser -u nobody --)

stop_server() {
  [[ -f "$state/folder" ]] || return 0
  local folder
  folder=$(cat "$state/folder")
  if [[ -d "$folder/data" ]]; then
    "${as_owner[@]}" "$bindir/pg_ctl" stop -D "$folder/data" -m immediate -s >/dev/null 2>&1 || true
  fi
  rm -rf -- "$folder"
  rm -f -- "$state/folder" "$state/uri"
}

if [[ "$action" == stop ]]; then
  stop_server
  exit 0
fi

mkdir -p "$state"
stop_server  # a server left by an interrupted run
folder=$(mktemp -d "${TMPDIR:-/tmp}/mindset-postgres.XXXXXX")
echo "$folder" > "$state/folder"
[[ $(id -u) -eq 0 ]] && chown nobody "$folder"
chmod 700 "$folder"

"${as_owner[@]}" "$bindir/initdb" -D "$folder/data" -U mindset -A trust -E UTF8 --no-locale --no-sync \
  > "$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Tests need no durability; a benchmark of durable submissions (tests/bench/scaleout.py) sets
# MINDSET_POSTGRES_DURABLE=1 to keep PostgreSQL's defaults (fsync, synchronous commit).
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[[ "${MINDSET_POSTGRES_DURABLE:-0}" == 1 ]] && durability=""

# Another program may take the port between choosing and listening: try a few.
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  if "${as_owner[@]}" "$bindir/pg_ctl" start -D "$folder/data" -l "$folder/server.log" -w -t 60 -s \
      -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$folder -c max_connections=200 $durability"; then
    echo "postgresql://mindset@127.0.0.1:$port/postgres" > "$state/uri"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests at $(cat "$state/uri") (data in $folder)"
    exit 0
  fi
done
cat "$folder/server.log" >&2
echo "error: the throwaway PostgreSQL server did not start (log above)" >&2
exit 1
