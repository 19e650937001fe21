# Sourced by .ci/run: a throw-away PostgreSQL server for the shared-database tests.
#
# Installs the distribution's `postgresql` package when no server binaries are found (best
# effort, like the Qt libraries), starts a private cluster in a temporary folder on a local
# port (as the `postgres` user when running as root: the server refuses to run as root),
# creates a role and a database, and exports:
#   SHOP_DESK_TEST_PG          postgresql://... URL of the test database
#   SHOP_DESK_TEST_PG_RESTART  command that restarts the server (the reconnect test uses it)
# The cluster is stopped and removed when the calling shell exits. Without PostgreSQL the
# tests run on SQLite only and say so.

_pg_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    return 1
}

_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_test_postgres() {
    if [ -n "${SHOP_DESK_TEST_PG:-}" ]; then  # given by the caller, or started already
        echo "PostgreSQL tests use the given SHOP_DESK_TEST_PG"
        return 0
    fi
    local started=$SECONDS
    local bindir
    if ! bindir="$(_pg_bindir)"; then
        local sudo_cmd=()
        if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo_cmd=(sudo -n)
        fi
        if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ "${#sudo_cmd[@]}" -gt 0 ]; }; then
            echo "Installing: postgresql"
            { ${sudo_cmd[@]+"${sudo_cmd[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
                && ${sudo_cmd[@]+"${sudo_cmd[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                    --no-install-recommends postgresql >/dev/null; } </dev/null \
                || echo "warning: could not install postgresql; PostgreSQL tests are skipped" >&2
        fi
        bindir="$(_pg_bindir)" || {
            echo "warning: no PostgreSQL server found; PostgreSQL tests are skipped" >&2
            return 0
        }
    fi

    local run_as=()
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "warning: running as root without a postgres user; PostgreSQL tests are skipped" >&2
            return 0
        fi
        if ! command -v runuser >/dev/null 2>&1; then
            echo "warning: running as root without runuser; PostgreSQL tests are skipped" >&2
            return 0
        fi
        run_as=(runuser -u postgres --)
    fi
    _pg() { (cd / && ${run_as[@]+"${run_as[@]}"} "$@"); }

    # as root the server runs as postgres, which must reach the folder: /tmp, not root's TMPDIR
    local parent="${TMPDIR:-/tmp}"
    [ "$(id -u)" -eq 0 ] && parent=/tmp
    if ! PG_TEST_DIR="$(mktemp -d "$parent/shop-desk-pg.XXXXXX")"; then
        echo "warning: no temporary folder for PostgreSQL; PostgreSQL tests are skipped" >&2
        PG_TEST_DIR=""
        return 0
    fi
    chmod 755 "$PG_TEST_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$PG_TEST_DIR"
    fi
    local port
    port="$(_pg_free_port)"
    local data="$PG_TEST_DIR/data" log="$PG_TEST_DIR/server.log"

    trap 'stop_test_postgres' EXIT
    if ! _pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            --no-sync >"$PG_TEST_DIR/initdb.log" 2>&1; then
        rm -rf "$data"
        if ! _pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C \
                --no-sync >"$PG_TEST_DIR/initdb.log" 2>&1; then
            echo "warning: initdb failed; PostgreSQL tests are skipped" >&2
            cat "$PG_TEST_DIR/initdb.log" >&2
            return 0
        fi
    fi
    # Test server: local only, no durability needed (fsync off makes CREATE DATABASE cheap).
    local opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_TEST_DIR"
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    PG_TEST_STOP="$(printf '%q ' ${run_as[@]+"${run_as[@]}"} "$bindir/pg_ctl" -D "$data" -w -t 60 -m fast stop)"
    if ! _pg "$bindir/pg_ctl" -D "$data" -l "$log" -o "$opts" -w -t 60 start >/dev/null; then
        echo "warning: the PostgreSQL server did not start; PostgreSQL tests are skipped" >&2
        cat "$log" >&2 || true
        return 0
    fi

    if ! _pg "$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
            -c "CREATE ROLE shop_desk LOGIN PASSWORD 'shop_desk' CREATEDB" \
            -c "CREATE DATABASE shop_desk_test OWNER shop_desk" >/dev/null; then
        echo "warning: could not create the test role and database; PostgreSQL tests are skipped" >&2
        return 0
    fi

    export SHOP_DESK_TEST_PG="postgresql://shop_desk:shop_desk@127.0.0.1:$port/shop_desk_test"
    local restart
    restart="$(printf '%q ' ${run_as[@]+"${run_as[@]}"} "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 -m fast restart)"
    export SHOP_DESK_TEST_PG_RESTART="$restart"
    echo "PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') test server on port $port" \
        "(ready in $((SECONDS - started)) s)"
}

stop_test_postgres() {
    if [ -n "${PG_TEST_STOP:-}" ] && [ -f "${PG_TEST_DIR:-}/data/postmaster.pid" ]; then
        eval "$PG_TEST_STOP" >/dev/null 2>&1 || true
    fi
    if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ]; then
        rm -rf "$PG_TEST_DIR"
    fi
    PG_TEST_STOP=""
    PG_TEST_DIR=""
}
