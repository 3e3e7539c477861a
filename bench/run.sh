#!/usr/bin/env bash
# Page throughput: the project's public pages served by gunicorn on PostgreSQL, each against a
# bare Wagtail home page measured in the same run (budget: >= 60 % of its requests/second).
#
#   bash bench/run.sh            (or: make bench)
#
# Needs Redis on 127.0.0.1:6379 (production settings refuse to start without a shared cache).
# Environment (all optional): BENCH_DURATION=15s, BENCH_CONNECTIONS=16,
# BENCH_DB=ppie_bench, BENCH_STEP_TIMEOUT=300 (each setup command), VENV=.venv,
# BENCH_RESULTS=bench/RESULTS.md, BENCH_NICE (e.g. -10, as root: runs the setup, gunicorn, wrk
# and the PostgreSQL backends serving the two bench databases at that priority; the default is
# -10 when the load average is above half the cores and we are root, else 0; recorded),
# BENCH_UNCACHED=1 (also measure every visitor page with only a csrftoken cookie: about 80 s
# more).
# Exit status: 0 when every page meets the budget with 0 errors, 3 when not, other on failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
GUNICORN=$VENV/bin/gunicorn
DURATION=${BENCH_DURATION:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
WORKERS=2
DB=${BENCH_DB:-ppie_bench}
BASE_DB=${DB}_baseline
RESULTS=${BENCH_RESULTS:-$HERE/RESULTS.md}
OUT=$HERE/out/pages # raw wrk output and server logs of the latest run (gitignored)

[[ -x $PY && -x $GUNICORN ]] || die "no venv with gunicorn at $VENV (run: make install)"
command -v psql >/dev/null || die "psql/createdb (PostgreSQL client) not found"
command -v curl >/dev/null || die "curl not found"
ensure_wrk
bench_init pages
START=$SECONDS
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN {exit !(l > n / 2)}'; then
  log "WARNING: load average $LOAD_BEFORE on $(nproc) cores: other work is running"
  if [[ -z ${BENCH_NICE:-} && $(id -u) -eq 0 ]]; then
    BENCH_NICE=-10
    log "running the benchmark at nice $BENCH_NICE so it gets most of the CPU (BENCH_NICE=0: don't)"
  fi
fi
rm -rf "$OUT" && mkdir -p "$OUT"

GUNICORN_FLAGS=(--workers "$WORKERS" --no-control-socket --access-logfile - --graceful-timeout 5)
NICE=(nice -n "${BENCH_NICE:-0}")
PRIORITY="normal (nice 0)"
if [[ ${BENCH_NICE:-0} != 0 ]]; then
  [[ ${BENCH_NICE} -lt 0 && $(id -u) -ne 0 ]] && die "BENCH_NICE=${BENCH_NICE} needs root"
  PRIORITY="nice ${BENCH_NICE} for setup, gunicorn, wrk and the bench's PostgreSQL backends"
  # With sched_autogroup every session shares the CPUs equally, whatever the nice values of
  # its processes: raise this session's own group too (put back on exit, see lib.sh).
  set_autogroup_nice "$BENCH_NICE" && PRIORITY+=", and for this session's scheduler autogroup"
fi

# ----------------------------------------------------------------------- project environment
BENCH_COOKIE=$("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import pages; print(pages.BENCH_COOKIE)' "$HERE")
REDIS_URL_BENCH=redis://127.0.0.1:6379/1
# Production settings refuse to start without a shared cache.
"$PY" -c "import redis, sys; redis.Redis.from_url('$REDIS_URL_BENCH', socket_timeout=1).ping()" 2>/dev/null \
  || die "Redis is not answering at $REDIS_URL_BENCH (production settings need REDIS_URL)"
export REDIS_URL=$REDIS_URL_BENCH CACHE_KEY_PREFIX="ppie_bench_$$"
CACHE="Redis ($REDIS_URL_BENCH, key prefix $CACHE_KEY_PREFIX)"
# Our keys (the page cache's version key never expires) go when we do.
CLEANUP_CMDS+=("\"\$PY\" -c 'import redis, sys; r = redis.Redis.from_url(sys.argv[1]); [r.delete(k) for k in r.scan_iter(match=sys.argv[2] + \":*\")]' \"\$REDIS_URL\" \"\$CACHE_KEY_PREFIX\"")
export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$(random_secret)
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false \
  CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB \
  MEDIA_ROOT=$TMP/media BENCH_HOST=127.0.0.1
log "project: production settings, PostgreSQL database $DB, cache: $CACHE"

fresh_db "$DB"
fresh_db "$BASE_DB"

step() { # step COMMAND...: run it (at most BENCH_STEP_TIMEOUT s), say how long it took
  local t=$SECONDS
  timeout "${BENCH_STEP_TIMEOUT:-300}" "${NICE[@]}" "$@"
  echo "== $* ($((SECONDS - t)) s)"
}

setup_project() {
  cd "$ROOT"
  step "$PY" manage.py migrate --noinput
  step "$PY" manage.py collectstatic --noinput
  step "$PY" manage.py load_demo --on-production
}

# ---------------------------------------------------------------------- bare Wagtail baseline
setup_baseline() {
  local dir=$TMP/baseline
  mkdir -p "$dir"
  # Same venv's wagtail (its requirements.txt pins Django 6: deliberately not installed).
  "$VENV/bin/wagtail" start baseline "$dir"
  cat >"$dir/baseline/settings/local.py" <<EOF
# Written by bench/run.sh: PostgreSQL, production-like, no static files needed by wrk.
DEBUG = False
SECRET_KEY = "$(random_secret)"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "$BASE_DB",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EOF
  cd "$dir"
  step env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=baseline.settings.production \
    "$PY" manage.py migrate --noinput
}

log "setting up the project (migrate, collectstatic, load_demo) and the bare Wagtail baseline in parallel"
setup_project >"$OUT/setup-project.log" 2>&1 &
project_setup=$!
setup_baseline >"$OUT/setup-baseline.log" 2>&1 &
baseline_setup=$!
wait "$project_setup" || { tail -30 "$OUT/setup-project.log" >&2; die "project setup failed (log: $OUT/setup-project.log)"; }
wait "$baseline_setup" || { tail -30 "$OUT/setup-baseline.log" >&2; die "baseline setup failed (log: $OUT/setup-baseline.log)"; }
SETUP_TIMES=$(for f in project baseline; do
  sed -nE "s/^== .*manage.py ([a-z_]+).*\((.*)\)$/$f \1 \2/p" "$OUT/setup-$f.log"
done | paste -sd, | sed 's/,/, /g')
log "setup done in $((SECONDS - START)) s: $SETUP_TIMES"

# --------------------------------------------------------------------------------- servers
PROJECT_PORT=$(free_port)
(cd "$ROOT" && exec "${NICE[@]}" "$GUNICORN" config.wsgi:application --bind "127.0.0.1:$PROJECT_PORT" \
  "${GUNICORN_FLAGS[@]}") >"$OUT/gunicorn-project.log" 2>&1 &
PIDS+=($!)
BASE_PORT=$(free_port)
while [[ $BASE_PORT == "$PROJECT_PORT" ]]; do BASE_PORT=$(free_port); done
(cd "$TMP/baseline" && exec env -u DATABASE_URL -u REDIS_URL \
  DJANGO_SETTINGS_MODULE=baseline.settings.production \
  "${NICE[@]}" "$GUNICORN" baseline.wsgi:application --bind "127.0.0.1:$BASE_PORT" \
  "${GUNICORN_FLAGS[@]}") >"$OUT/gunicorn-baseline.log" 2>&1 &
PIDS+=($!)

# ------------------------------- pages and queries (in-process, while the servers start)
(cd "$ROOT" && "$PY" bench/pages.py probe) >"$TMP/pages.tsv" 2>"$OUT/probe.log" \
  || { cat "$OUT/probe.log" >&2; die "could not find the pages to measure"; }
[[ -s $OUT/probe.log ]] && cat "$OUT/probe.log" >&2
log "pages (label, path, status, queries per warm request, bytes, queries with a cookie):"
sed 's/^/    /' "$TMP/pages.tsv" >&2
grep -q '^news page' "$TMP/pages.tsv" || die "load_demo made no live news page"
grep -q '^prototype page' "$TMP/pages.tsv" || die "load_demo made no live prototype page"

wait_http "http://127.0.0.1:$PROJECT_PORT/healthz" "${PIDS[0]}" 60 \
  || { tail -30 "$OUT/gunicorn-project.log" >&2; die "project server did not answer /healthz"; }
wait_http "http://127.0.0.1:$BASE_PORT/" "${PIDS[1]}" 60 \
  || { tail -30 "$OUT/gunicorn-baseline.log" >&2; die "baseline server did not answer /"; }
log "servers up: project :$PROJECT_PORT (pid ${PIDS[0]}), baseline :$BASE_PORT (pid ${PIDS[1]})"

# ------------------------------------------------------------------------------------- load
renice_backends() { # the PostgreSQL server processes serving our two databases (same host)
  local pids
  pids=$(psql -XAtc "SELECT pid FROM pg_stat_activity WHERE datname IN ('$DB', '$BASE_DB')" postgres)
  [[ -n $pids ]] && renice -n "$BENCH_NICE" -p $pids >/dev/null 2>&1
  return 0
}
: >"$OUT/runs.tsv"
n=0
measure() { # label kind url queries [extra wrk/curl header]
  local label=$1 kind=$2 url=$3 queries=$4 status size file
  local header=()
  if [[ -n ${5:-} ]]; then header=(-H "$5"); fi
  read -r status size < <(curl -s -o /dev/null --max-time 30 "${header[@]}" \
    -w '%{http_code} %{size_download}\n' "$url")
  [[ $status == 200 ]] || die "$label ($url) answered $status, not 200"
  "${NICE[@]}" wrk -t2 -c4 -d1s "${header[@]}" "$url" >/dev/null # warm-up: templates, connections
  [[ ${BENCH_NICE:-0} != 0 ]] && renice_backends
  n=$((n + 1))
  file=$(printf '%02d-%s.txt' "$n" "${label//[^A-Za-z0-9]/-}")
  # --timeout 10s: wrk's default (2 s) drops slow responses from the percentiles on a busy machine.
  "${NICE[@]}" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$HERE/p95.lua" \
    "${header[@]}" "$url" >"$OUT/$file"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$kind" "$url" "$queries" "$size" "$file" >>"$OUT/runs.tsv"
  log "$(printf '%-25s %8s req/s  (%s bytes)' "$label" "$(awk '/^Requests\/sec/ {print $2}' "$OUT/$file")" "$size")"
}

baseline_queries=$(cd "$TMP/baseline" && env -u DATABASE_URL -u REDIS_URL \
  DJANGO_SETTINGS_MODULE=baseline.settings.production BENCH_HOST=127.0.0.1 "$PY" -c '
import django; django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
c = Client(HTTP_HOST="127.0.0.1"); c.get("/")
with CaptureQueriesContext(connection) as ctx: c.get("/")
print(len(ctx))' 2>/dev/null || echo "?")

measure "wagtail baseline" baseline "http://127.0.0.1:$BASE_PORT/" "$baseline_queries"
while IFS=$'\t' read -r label path status queries size cookie_queries session; do
  [[ $status == 200 ]] || die "$label ($path) answered $status in the probe"
  measure "$label" project "http://127.0.0.1:$PROJECT_PORT$path" "$queries" \
    ${session:+"Cookie: $session"}
done <"$TMP/pages.tsv"
if [[ ${BENCH_UNCACHED:-0} == 1 ]]; then
  # Visitors who carry only a csrftoken cookie (they have seen a form before).
  while IFS=$'\t' read -r label path status queries size cookie_queries session; do
    [[ -z $session ]] || continue
    measure "$label (csrftoken cookie)" project "http://127.0.0.1:$PROJECT_PORT$path" \
      "$cookie_queries" "Cookie: $BENCH_COOKIE"
  done <"$TMP/pages.tsv"
fi
measure "wagtail baseline" baseline "http://127.0.0.1:$BASE_PORT/" "$baseline_queries"

# ----------------------------------------------------------------------------------- report
{
  printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  printf 'duration\t%s\n' "$DURATION"
  machine_facts
  printf 'Versions\t%s\n' "$("$PY" -c 'import django, wagtail, gunicorn, sys; print(f"Python {sys.version.split()[0]}, Django {django.get_version()}, Wagtail {wagtail.__version__}, gunicorn {gunicorn.__version__}")')"
  printf 'Servers\tgunicorn %s (sync), loopback, project with DJANGO_SETTINGS_MODULE=config.settings.production and demo content from `manage.py load_demo`; baseline from `wagtail start` with its production settings on PostgreSQL (CONN_MAX_AGE=600)\n' "${GUNICORN_FLAGS[*]}"
  printf 'Project cache\t%s; whole-page cache for cookie-less requests: PAGE_CACHE_SECONDS=%s\n' \
    "$CACHE" "${PAGE_CACHE_SECONDS:-unset (project default)}"
  printf 'Priority\t%s\n' "$PRIORITY"
  printf 'Load average (1/5/15 min)\t%s before, %s after (other processes on the machine skew all numbers)\n' \
    "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'Runtime\t%s s in total (setup: %s)\n' "$((SECONDS - START))" "$SETUP_TIMES"
} >"$OUT/meta.tsv"
echo
rc=0
"$PY" "$HERE/pages.py" report "$OUT" "$RESULTS" || rc=$?
log "done in $((SECONDS - START)) s; raw wrk output and server logs in ${OUT#"$ROOT"/}/"
exit "$rc"
