#!/usr/bin/env bash
# Voting burst and results at scale (DESIGN.md "Budgets"):
#  1. 200 members vote at once against gunicorn (2 workers) on PostgreSQL: points method, each
#     member firing one single-feature request per feature, all at the same time; the budget
#     lets only some through. Then: every tally equals the acknowledged votes, nobody over budget.
#  2. A consultation with 1,000 members x 30 features (and a questionnaire with 1,000 reviews x
#     30 items): render time and query count of the results and analysis pages.
#
#   bash bench/run_vote_burst.sh
#
# Environment (optional): VOTE_MEMBERS=200, VOTE_FEATURES=12, VOTE_CONCURRENCY=50,
# BENCH_DB=ppie_vote, VENV=.venv, BENCH_RESULTS=bench/RESULTS.md.
# Exit status: 0 when the budgets hold (every vote accounted for; every page at scale renders
# in a median < 300 ms), 3 when not, other on failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
MEMBERS=${VOTE_MEMBERS:-200}
FEATURES=${VOTE_FEATURES:-12}
CONCURRENCY=${VOTE_CONCURRENCY:-50}
DB=${BENCH_DB:-ppie_vote}
RESULTS=${BENCH_RESULTS:-$HERE/RESULTS.md}

[[ -x $PY ]] || die "no venv at $VENV (run: make install)"
bench_init vote
cd "$ROOT"

export DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$(random_secret)
export SECRET_KEY ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false \
  SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB MEDIA_ROOT=$TMP/media \
  REDIS_URL=redis://127.0.0.1:6379/3 CACHE_KEY_PREFIX=ppie_vote_$$

fresh_db "$DB"
log "migrating $DB"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0 >/dev/null
"$PY" bench/vote_burst.py setup --members "$MEMBERS" --features "$FEATURES" --out "$TMP/sessions.json"

PORT=$(free_port)
"$VENV/bin/gunicorn" config.wsgi:application --workers 2 --bind "127.0.0.1:$PORT" \
  --no-control-socket --graceful-timeout 5 >"$TMP/gunicorn.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/healthz" "${PIDS[-1]}" 60 || die "gunicorn did not start (see $TMP/gunicorn.log)"

log "burst: $MEMBERS members x $FEATURES single-feature requests, $CONCURRENCY at a time"
set +e
BURST=$("$PY" bench/vote_burst.py burst --base "http://127.0.0.1:$PORT" --sessions "$TMP/sessions.json" \
  --acks "$TMP/acks.json" --concurrency "$CONCURRENCY")
BURST_RC=$?
CHECK=$("$PY" bench/vote_burst.py check --acks "$TMP/acks.json")
CHECK_RC=$?
set -e
log "burst: $BURST"
log "check: $CHECK"

log "results at scale: building 1,000 x 30 and timing the pages"
SCALE=$("$PY" bench/results_scale.py)
log "scale: $SCALE"
SCALE_RC=$("$PY" -c 'import json, sys; print(3 if any(p["median_ms"] >= 300 for p in json.loads(sys.argv[1])["pages"]) else 0)' "$SCALE")

REPORT=$("$PY" - "$BURST" "$CHECK" "$SCALE" <<'PYEOF'
import json, sys
burst, check, scale = (json.loads(a) for a in sys.argv[1:4])
lines = [
    "| members | requests | acknowledged (302) | refused over budget (400) | other | p50 | p95 | req/s |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
st = burst["statuses"]
other = sum(v for k, v in st.items() if k not in ("302", "400"))
lines.append(f"| {burst['members']} | {burst['requests']} | {st.get('302', 0)} | {st.get('400', 0)} | {other} | {burst['p50_ms']} ms | {burst['p95_ms']} ms | {burst['req_per_s']} |")
lines.append("")
lines.append(f"Database check: {check['accepted']} acknowledged votes, tallies add up to {check['tally_total']}; features whose tally differs: {check['features_mismatched']}; members over budget: {check['members_over_budget']}; members whose votes differ from their acknowledged requests: {check['members_mismatched']}.")
lines.append("")
lines.append(f"Results at scale ({scale['members']} members x {scale['features_or_items']} features/items), rendered through Django's request stack, median of 10:")
lines.append("")
lines.append("| page | median | max | queries | HTML |")
lines.append("| --- | ---: | ---: | ---: | ---: |")
for row in scale["pages"]:
    lines.append(f"| `{row['path']}` | {row['median_ms']} ms | {row['max_ms']} ms | {row['queries']} | {row['bytes'] // 1024} KB |")
over = [row["path"] for row in scale["pages"] if row["median_ms"] >= 300]
lines.append("")
lines.append("Budget (DESIGN.md): median < 300 ms. " + (f"**Missed by** {', '.join(over)}." if over else "Met by every page."))
print("\n".join(lines))
PYEOF
)
echo "$REPORT"
{
  echo
  echo "## Voting burst and results at scale — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`bash bench/run_vote_burst.sh\` (gunicorn 2 workers, production settings, PostgreSQL, Redis cache)."
  machine_facts | sed 's/^/- /; s/\t/: /'
  echo "- Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "$REPORT"
} >>"$RESULTS"
log "appended to $RESULTS"
[[ $BURST_RC -eq 0 && $CHECK_RC -eq 0 && $SCALE_RC -eq 0 ]] || exit 3
