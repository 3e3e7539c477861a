# Shell helpers shared by the benchmarks in bench/ (source it; needs bash).
# Conventions: PIDS holds the servers we started, DBS the databases we created, TMP a temp dir;
# bench_cleanup (installed as the EXIT trap by bench_init) stops, drops and removes them.

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

PIDS=()
DBS=()
TMP=""
AUTOGROUP_NICE="" # the value to put back in /proc/self/autogroup on exit, when we changed it
CLEANUP_CMDS=()   # extra shell commands for bench_cleanup (run first, errors ignored)

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# bench_init NAME: one run at a time per machine, a temp dir, and cleanup on any exit.
bench_init() {
  exec 9>"/tmp/ppie-bench-$1.lock"
  flock -n 9 || die "another '$1' benchmark is running on this machine"
  TMP=$(mktemp -d "/tmp/ppie-bench-$1.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_cleanup() {
  local rc=$? pid i cmd
  trap - EXIT INT TERM
  set +e
  for cmd in "${CLEANUP_CMDS[@]}"; do eval "$cmd" >/dev/null 2>&1; done
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "gunicorn $pid did not stop; killing it and its workers"
      pkill -KILL -P "$pid" 2>/dev/null
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
  done
  local drops=()
  for db in "${DBS[@]}"; do # in parallel: each waits for a checkpoint
    { dropdb --if-exists --force "$db" >/dev/null 2>&1 || log "could not drop database $db"; } &
    drops+=($!)
  done
  for pid in "${drops[@]}"; do wait "$pid"; done
  [[ -n "$TMP" && -d "$TMP" ]] && rm -rf "$TMP"
  [[ -n "$AUTOGROUP_NICE" ]] && echo "$AUTOGROUP_NICE" >"/proc/$$/autogroup"
  [[ ${#PIDS[@]} -gt 0 || ${#DBS[@]} -gt 0 ]] && log "cleaned up: servers ${PIDS[*]:-none}, databases ${DBS[*]:-none}"
  exit "$rc"
}

# set_autogroup_nice N: the scheduler autogroup of this session at nice N (sched_autogroup:
# CPU time is shared between sessions first, so process nice values alone change little).
set_autogroup_nice() {
  local file=/proc/$$/autogroup
  [[ -w $file && $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null) == 1 ]] || return 1
  AUTOGROUP_NICE=$(sed -n 's/.* nice //p' "$file")
  echo "$1" >"$file" 2>/dev/null || { AUTOGROUP_NICE=""; return 1; }
}

# ensure_wrk: a fresh machine has no wrk; install it from the distribution.
ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return
  log "wrk not found; installing it with apt-get"
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null \
    || die "could not install wrk (apt-get install -y wrk)"
  command -v wrk >/dev/null 2>&1 || die "wrk still missing after apt-get install"
}

# fresh_db NAME: drop (if left over) and create a PostgreSQL database; dropped again on exit.
fresh_db() {
  pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL is not answering on $PGHOST:$PGPORT"
  dropdb --if-exists --force "$1" >/dev/null 2>&1
  createdb "$1" || die "createdb $1 failed"
  DBS+=("$1")
}

# free_port: a TCP port on 127.0.0.1 nobody listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

random_secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(60))'; }

# wait_http URL PID [SECONDS]: until URL answers 200 (fails early if the server PID died).
wait_http() {
  local url=$1 pid=$2 limit=${3:-60} i
  for ((i = 0; i < limit * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url") == 200 ]] && return 0
    sleep 0.2
  done
  return 1
}

# machine_facts: key<TAB>value lines describing where the numbers came from.
machine_facts() {
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(free -g | awk '/^Mem:/ {print $2}')
  printf 'Machine\t%s, %s cores (nproc), %s GiB RAM (free -g), %s\n' \
    "$(uname -m)" "$(nproc)" "$mem" "${cpu:-unknown CPU}"
  printf 'PostgreSQL\t%s\n' "$(psql -XAtc 'SHOW server_version' postgres 2>/dev/null || echo unknown)"
  command -v wrk >/dev/null 2>&1 && printf 'wrk\t%s\n' "$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  if git -C "${ROOT:-.}" rev-parse --short HEAD >/dev/null 2>&1; then
    printf 'Code\tcommit %s, %s uncommitted or untracked paths in the working tree\n' \
      "$(git -C "${ROOT:-.}" rev-parse --short HEAD)" "$(git -C "${ROOT:-.}" status --porcelain | wc -l)"
  fi
}
