#!/usr/bin/env bash
# QR sign-up burst (DESIGN.md, "Budgets"): 50 concurrent clients submit 1,000 sign-ups through
# the real join form of gunicorn (2 sync workers, production settings, PostgreSQL, Redis cache
# so the rate limit is shared by the workers); then every acknowledged sign-up must be in the
# database exactly once: 0 server errors, 0 lost, 0 duplicated.
#
#   bash bench/run_signup_burst.sh
#
# Phase 1 runs with the join rate limit raised (JOIN_RATE_LIMITS=100000/60: the whole burst
# comes from 127.0.0.1). Phase 2 restarts gunicorn with the default limits and has one client
# post 60 sign-ups back to back: the first ones (the tightest window's count) are acknowledged,
# the rest answered 429, never 5xx. Then gunicorn is stopped and the database checked.
#
# Environment (all optional): BURST_CLIENTS=50, BURST_SIGNUPS=1000, BURST_DEADLINE=150 (seconds
# for phase 1; raise it on a busy machine, which makes the run longer), BURST_DB=ppie_burst,
# BURST_REDIS_URL=redis://127.0.0.1:6379/2, VENV=.venv, BENCH_RESULTS=<markdown file to append
# to; default bench/RESULTS.md if it exists, else bench/RESULTS-signup-burst.md>.
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth for postgres) and Redis on 127.0.0.1:6379.
# Exit status: 0 when the budget holds, 3 when it does not (or the burst did not finish by the
# deadline), other on failure. Runtime: under 5 minutes with the default deadline.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
GUNICORN=$VENV/bin/gunicorn
CLIENTS=${BURST_CLIENTS:-50}
SIGNUPS=${BURST_SIGNUPS:-1000}
DEADLINE=${BURST_DEADLINE:-150} # seconds for phase 1; no new sign-up starts after it
DB=${BURST_DB:-ppie_burst}
REDIS=${BURST_REDIS_URL:-redis://127.0.0.1:6379/2}
OUT=$HERE/out/signup-burst # logs and raw results of the latest run (bench/out/ is gitignored)
RUN=$(date -u +%Y%m%d%H%M%S)-$$
KEY_PREFIX=ppie_burst_$$

export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres

log() { printf '[burst %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ -x $PY && -x $GUNICORN ]] || die "no venv with gunicorn at $VENV (run: make install)"
command -v createdb >/dev/null || die "createdb/dropdb (PostgreSQL client) not found"
command -v curl >/dev/null || die "curl not found"

exec 9>/tmp/ppie-bench-signup-burst.lock
flock -n 9 || die "another sign-up burst benchmark is running on this machine"

# ----------------------------------------------------------------------------------- cleanup
GUNICORN_PID=""
DB_CREATED=0
SETUP_PIDS=() # migrate and collectstatic while they run
TMP=$(mktemp -d /tmp/ppie-bench-signup-burst.XXXXXX)

stop_gunicorn() {
  [[ -n $GUNICORN_PID ]] || return 0
  local i
  kill -TERM "$GUNICORN_PID" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$GUNICORN_PID" 2>/dev/null; then
    log "gunicorn $GUNICORN_PID did not stop in 10 s; killing it and its workers"
    pkill -KILL -P "$GUNICORN_PID" 2>/dev/null || true
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  wait "$GUNICORN_PID" 2>/dev/null || true
  GUNICORN_PID=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  for pid in "${SETUP_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  stop_gunicorn
  if ((DB_CREATED)); then
    dropdb --if-exists --force "$DB" >/dev/null 2>&1 || log "could not drop database $DB"
  fi
  # This run's cache keys (rate-limit counters) in Redis, by their key prefix.
  "$PY" - "$REDIS" "$KEY_PREFIX" "${KEY_PREFIX}_limit" >/dev/null 2>&1 <<'EOF'
import sys, redis
r = redis.Redis.from_url(sys.argv[1], socket_timeout=2)
for prefix in sys.argv[2:]:
    keys = list(r.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        r.delete(*keys)
EOF
  rm -rf "$TMP"
  log "cleaned up (gunicorn stopped, database $DB dropped, Redis keys $KEY_PREFIX* deleted)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

START=$SECONDS
pgrep -x wrk >/dev/null && log "WARNING: wrk is running on this machine; the figures will be disturbed"
read -r LOAD _ </proc/loadavg
awk -v l="$LOAD" -v n="$(nproc)" 'BEGIN { exit !(l > n) }' \
  && log "WARNING: load average $LOAD on $(nproc) cores: other processes are busy, figures will be disturbed"
pg_isready -q || die "PostgreSQL is not answering on $PGHOST:$PGPORT"
"$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()" "$REDIS" \
  || die "Redis is not answering at $REDIS"
rm -rf "$OUT" && mkdir -p "$OUT"

# ------------------------------------------------------------------------------- environment
export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(60))')
export SECRET_KEY ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
  SECURE_HSTS_SECONDS=0
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=$REDIS CACHE_KEY_PREFIX=$KEY_PREFIX
export MEDIA_ROOT=$TMP/media
unset EMAIL_URL JOIN_RATE_LIMITS TRUST_X_FORWARDED_FOR TASKS_BACKEND # console email, defaults
export LOG_LEVEL=${LOG_LEVEL:-WARNING}                              # Django logs to stderr

manage() { (cd "$ROOT" && exec "$PY" manage.py "$@"); }

log "fresh database $DB: migrate and collectstatic (in parallel), campaigns"
dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true
createdb "$DB" || die "createdb $DB failed"
DB_CREATED=1
(cd "$ROOT" && exec "$PY" manage.py migrate --noinput) >"$OUT/migrate.log" 2>&1 &
migrating=$!
# The production static storage needs its manifest to render any page.
(cd "$ROOT" && exec "$PY" manage.py collectstatic --noinput) >"$OUT/collectstatic.log" 2>&1 &
collecting=$!
SETUP_PIDS=("$migrating" "$collecting")
wait "$migrating" || { tail -30 "$OUT/migrate.log" >&2; die "migrate failed"; }
wait "$collecting" || { tail -30 "$OUT/collectstatic.log" >&2; die "collectstatic failed"; }
SETUP_PIDS=()
DEFAULT_LIMITS=$(manage shell --no-imports -c '
from django.conf import settings
from engagement.models import Campaign
for code, label in [("burst", "QR sign-up burst"), ("burst-limit", "QR sign-up burst: rate limit")]:
    Campaign.objects.get_or_create(code=code, defaults={"label": label})
print("JOIN_RATE_LIMITS=" + settings.JOIN_RATE_LIMITS)
' 2>"$OUT/campaigns.log" | sed -n 's/^JOIN_RATE_LIMITS=//p')
[[ -n $DEFAULT_LIMITS ]] || { cat "$OUT/campaigns.log" >&2; die "could not create the campaigns"; }
log "setup done in $((SECONDS - START)) s; default JOIN_RATE_LIMITS=$DEFAULT_LIMITS"

# start_gunicorn NAME [VAR=value...]: 2 sync workers on a free loopback port; stdout (the
# console emails) and stderr (gunicorn and Django logs) to files in $OUT.
start_gunicorn() {
  local name=$1
  shift
  PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$ROOT" && exec env "$@" "$GUNICORN" config.wsgi:application --workers 2 \
    --bind "127.0.0.1:$PORT" --no-control-socket --graceful-timeout 5 \
    --access-logfile "$OUT/$name-access.log" --access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(L)s') \
    >"$OUT/$name-stdout.log" 2>"$OUT/$name-stderr.log" 9>&- &
  GUNICORN_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -30 "$OUT/$name-stderr.log" >&2; die "gunicorn ($name) exited"; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/healthz") == 200 ]] && break
    sleep 0.2
  done
  ((i < 300)) || { tail -30 "$OUT/$name-stderr.log" >&2; die "gunicorn ($name) did not answer /healthz in 60 s"; }
  # Warm both workers (imports, templates, database connections) outside the measurement.
  for i in 1 2 3 4 5 6; do curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$PORT/join/" || true; done
  log "gunicorn ($name) up on 127.0.0.1:$PORT (pid $GUNICORN_PID)"
}

server_errors_in_log() { grep -cE 'Traceback|Internal Server Error|\[ERROR\]|WORKER TIMEOUT' "$1" || true; }

# ------------------------------------------------------------------- phase 1: burst, raised limit
start_gunicorn burst JOIN_RATE_LIMITS=100000/60
log "phase 1: $CLIENTS clients, $SIGNUPS sign-ups (+5 % submitted twice) on /join/burst/"
timeout $((DEADLINE + 60)) "$PY" "$HERE/signup_burst.py" burst --url "http://127.0.0.1:$PORT" \
  --campaign burst --run "$RUN" --clients "$CLIENTS" --signups "$SIGNUPS" --deadline "$DEADLINE" \
  --out "$OUT/burst.json" \
  || die "the burst client failed"
stop_gunicorn
log "phase 1: gunicorn stopped; server log: $(server_errors_in_log "$OUT/burst-stderr.log") error lines"

# ------------------------------------------------------------- phase 2: default limits, one client
start_gunicorn limit CACHE_KEY_PREFIX="${KEY_PREFIX}_limit" # fresh counters
log "phase 2: one client, 60 sign-ups back to back with JOIN_RATE_LIMITS=$DEFAULT_LIMITS"
timeout 90 "$PY" "$HERE/signup_burst.py" limit --url "http://127.0.0.1:$PORT" \
  --campaign burst-limit --run "$RUN" --limits "$DEFAULT_LIMITS" --count 60 --out "$OUT/limit.json" \
  || die "the rate-limit client failed"
stop_gunicorn
log "phase 2: gunicorn stopped; server log: $(server_errors_in_log "$OUT/limit-stderr.log") error lines"

# ----------------------------------------------------------------------------------- report
rc=0
REDIS_VERSION=$("$PY" -c "import redis, sys; print(redis.Redis.from_url(sys.argv[1]).info('server')['redis_version'])" "$REDIS" 2>/dev/null || echo "?")
BENCH_REDIS_VERSION=$REDIS_VERSION "$PY" "$HERE/signup_burst.py" report --db "$DATABASE_URL" \
  --burst "$OUT/burst.json" --limit "$OUT/limit.json" --emails-log "$OUT/burst-stdout.log" \
  --access-log "$OUT/burst-access.log" \
  ${BENCH_RESULTS:+--results "$BENCH_RESULTS"} \
  --server "gunicorn config.wsgi:application --workers 2 (sync) --no-control-socket, loopback; DJANGO_SETTINGS_MODULE=config.settings.production, PostgreSQL (CONN_MAX_AGE=600), Redis cache ($REDIS), console email backend; phase 1 JOIN_RATE_LIMITS=100000/60, phase 2 default ($DEFAULT_LIMITS)" \
  --command "bash bench/run_signup_burst.sh (BURST_CLIENTS=$CLIENTS BURST_SIGNUPS=$SIGNUPS BURST_DEADLINE=$DEADLINE)" || rc=$?
for name in burst limit; do
  n=$(server_errors_in_log "$OUT/$name-stderr.log")
  if ((n > 0)); then
    log "server log $name-stderr.log has $n error lines; first:"
    grep -m5 -E 'Traceback|Internal Server Error|\[ERROR\]|WORKER TIMEOUT' "$OUT/$name-stderr.log" >&2
    ((rc == 0)) && rc=3
  fi
done
log "done in $((SECONDS - START)) s; logs and raw results in ${OUT#"$ROOT"/}/"
exit "$rc"
