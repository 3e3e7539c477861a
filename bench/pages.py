"""Helpers for bench/run.sh (page throughput).

    python bench/pages.py probe               # needs DJANGO_SETTINGS_MODULE and the bench database
    python bench/pages.py report RUN_DIR RESULTS_MD

`probe` finds the pages to measure (home, a news page, the prototype page, the news and
event indexes, the join form; and, signed in as the demo patient partner, home, /me/ and an
open consultation) and, for each, requests it twice in-process with Django's test client and counts
the SQL queries of the second (warm) request, once without cookies (a first-time visitor,
served from the page cache when there is one) and once with a `csrftoken` cookie (a visitor
who has seen a form: the page is rendered). It prints one tab-separated line per page:
label, path, status, queries, bytes, queries with the cookie, and the cookie to send with
every request (the signed-in member's session; empty for visitors).

`report` parses the `wrk --latency` outputs listed in RUN_DIR/runs.tsv, prints the table
(req/s, p50/p90/p95/p99, errors, ratio against the bare Wagtail home page) and appends the same
as a dated section to RESULTS_MD. It needs only the standard library.
"""

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 0.60  # DESIGN.md: each public page >= 60 % of the bare Wagtail home page's req/s
BENCH_COOKIE = "csrftoken=benchbenchbenchbenchbenchbench"  # also in run.sh (BENCH_UNCACHED=1)

RESULTS_HEADER = """\
# Benchmark results

Appended by the benchmarks in `bench/` (see `bench/README.md`); newest section last.

## Page throughput (`bench/run.sh`)

Serves the project with gunicorn (2 sync workers, production settings, PostgreSQL, demo
content from `manage.py load_demo`) next to a bare Wagtail project made in the same run with
`wagtail start` (its welcome home page, same venv, same gunicorn flags, its own PostgreSQL
database), and loads each public page with `wrk -t2 -c16 -d15s --timeout 10s --latency` from
the same machine. The bare Wagtail home page is measured first and last; the reference is the
mean of the two, and the difference between them shows drift during the run.

Run it with `make bench` or `bash bench/run.sh` (about 2.5 minutes on an idle machine; needs
PostgreSQL on 127.0.0.1:5432 with trust auth for `postgres`; installs `wrk` with apt-get when
missing). Numbers taken while other work keeps the CPUs busy are not comparable: each section
records the load average before and after the run.

**Budget** (DESIGN.md, "Budgets"): every public page serves at least **60 %** of the requests
per second of the bare Wagtail home page measured in the same run, with 0 errors.
"""


# --------------------------------------------------------------------------------------- probe


def probe() -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.models import EventIndexPage, HomePage, NewsIndexPage, NewsPage, PrototypePage

    def path_of(model, order=()):
        page = model.objects.live().public().order_by(*order).first()
        if page is None:
            return None
        url = page.get_url()
        return urlsplit(url).path if url else None

    candidates = [
        ("home", path_of(HomePage) or "/"),
        ("news page", path_of(NewsPage, ("-date", "-pk"))),
        ("prototype page", path_of(PrototypePage, ("-first_published_at", "-pk"))),
        ("news index", path_of(NewsIndexPage)),
        ("events index", path_of(EventIndexPage)),
    ]
    host = os.environ.get("BENCH_HOST", "127.0.0.1")
    client = Client(HTTP_HOST=host)
    with_cookie = Client(HTTP_HOST=host)
    with_cookie.cookies["csrftoken"] = BENCH_COOKIE.split("=", 1)[1]
    missing = [label for label, path in candidates if path is None]

    def warm_queries(c, path):
        # Cold, twice, as wrk's warm-up does many times: fills per-process caches and the page
        # cache; a first render may write (an image's rendition), which starts a new count, so
        # a member's own page is kept from the second (cms/page_cache.personal_page).
        c.get(path)
        c.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(path)
        if os.environ.get("BENCH_SHOW_QUERIES"):
            for query in ctx.captured_queries:
                print(f"#   {query['sql'][:300]}", file=sys.stderr)
        return response, len(ctx)

    for label, path in candidates:
        if path is None:
            continue
        response, queries = warm_queries(client, path)
        _, cookie_queries = warm_queries(with_cookie, path)
        print(
            f"{label}\t{path}\t{response.status_code}\t{queries}\t{len(response.content)}"
            f"\t{cookie_queries}\t"
        )
    # The page every QR code opens, for a first-time visitor (a Django view, not a Wagtail page).
    response, queries = warm_queries(client, "/join/")
    _, cookie_queries = warm_queries(with_cookie, "/join/")
    print(
        f"join form\t/join/\t{response.status_code}\t{queries}\t{len(response.content)}"
        f"\t{cookie_queries}\t"
    )
    # A signed-in patient partner: the session is stored where the servers read it (same
    # database and cache), and its cookie is the seventh column, sent with every request.
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from engagement.models import Consultation

    user = get_user_model().objects.filter(email="patient@example.org").first()
    consultation = Consultation.objects.open_now().order_by("pk").first()
    if user is None or consultation is None:
        print("probe: no demo patient or open consultation", file=sys.stderr)
        return 0
    member = Client(HTTP_HOST=host)
    member.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={member.cookies[settings.SESSION_COOKIE_NAME].value}"
    for label, path in [
        ("member: home", "/"),
        ("member: /me/", "/me/"),
        ("member: consultation", consultation.get_absolute_url()),
    ]:
        response, queries = warm_queries(member, path)
        print(
            f"{label}\t{path}\t{response.status_code}\t{queries}\t{len(response.content)}"
            f"\t{queries}\t{cookie}"
        )
    if missing:
        print(f"probe: no live page for: {', '.join(missing)}", file=sys.stderr)
    return 0


# -------------------------------------------------------------------------------------- report

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unknown latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(text: str) -> dict:
    """Requests/sec, p50/p90/p95/p99 (ms; p95 from bench/p95.lua), request count, non-2xx/3xx
    and socket errors."""
    result = {"rps": None, "p50": None, "p90": None, "p95": None, "p99": None, "requests": 0}
    if m := re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M):
        result["rps"] = float(m.group(1))
    for pct in ("50", "90", "95", "99"):
        if m := re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", text, re.M):
            result[f"p{pct}"] = _ms(m.group(1))
    if m := re.search(r"^\s+(\d+) requests in", text, re.M):
        result["requests"] = int(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    result["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket"] = dict(
        zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True) if m else {}
    )
    return result


def _errors(r: dict) -> str:
    parts = []
    if r["non2xx"]:
        parts.append(f"{r['non2xx']} non-2xx/3xx")
    parts += [f"{n} {kind}" for kind, n in r["socket"].items() if n]
    if r["rps"] is None:
        parts.append("no result")
    return ", ".join(parts) or "0"


def _fmt_ms(value) -> str:
    return "–" if value is None else (f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms")


def report(run_dir: Path, results_md: Path) -> int:
    runs = []
    for line in (run_dir / "runs.tsv").read_text().splitlines():
        if not line.strip():
            continue
        label, kind, url, queries, size, wrk_file = line.split("\t")
        r = parse_wrk((run_dir / wrk_file).read_text())
        r.update(label=label, kind=kind, url=url, queries=queries, size=size)
        runs.append(r)
    meta = dict(
        line.split("\t", 1) for line in (run_dir / "meta.tsv").read_text().splitlines() if line
    )
    date, duration = meta.pop("date"), meta.pop("duration")

    base = [r["rps"] for r in runs if r["kind"] == "baseline" and r["rps"]]
    base_mean = sum(base) / len(base) if base else None
    drift = (base[-1] - base[0]) / base[0] * 100 if len(base) >= 2 else None

    headers = ["page", "path", "req/s", "p50", "p90", "p95", "p99", "errors", "queries", "ratio"]
    rows, failures = [], []
    for r in runs:
        if r["kind"] == "baseline" or not base_mean or r["rps"] is None:
            ratio = "–"
        else:
            share = r["rps"] / base_mean
            ratio = f"{share * 100:.0f} %" + ("" if share >= BUDGET else " ✗")
            if share < BUDGET:
                failures.append(f"{r['label']} at {share * 100:.0f} %")
        if _errors(r) != "0":
            failures.append(f"{r['label']}: errors {_errors(r)}")
        rows.append(
            [
                r["label"],
                urlsplit(r["url"]).path,
                "–" if r["rps"] is None else f"{r['rps']:.1f}",
                _fmt_ms(r["p50"]),
                _fmt_ms(r["p90"]),
                _fmt_ms(r["p95"]),
                _fmt_ms(r["p99"]),
                _errors(r),
                r["queries"],
                ratio,
            ]
        )
    if base_mean:
        rows.append(["baseline mean", "/", f"{base_mean:.1f}", "", "", "", "", "", "", "100 %"])

    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    verdict = (
        "PASS: every project page ≥ 60 % of the bare Wagtail home page, 0 errors"
        if not failures
        else "FAIL: " + "; ".join(failures)
    )
    drift_text = f"{drift:+.1f} %" if drift is not None else "n/a"
    print(f"\nbaseline drift (last vs first run): {drift_text}")
    print(verdict)

    md = [f"\n## Page throughput — {date}\n"]
    md.append("| " + " | ".join(headers) + " |")
    md.append("|" + "|".join("---" for _ in headers) + "|")
    md += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    md.append("")
    md.append(f"- **Result:** {verdict}")
    md.append(f"- Baseline drift (last vs first run): {drift_text}")
    md.append(
        "- Load: `wrk -t2 -c16 -d"
        f"{duration} --timeout 10s --latency` per page, after a 1 s warm-up; "
        "queries = SQL queries of one warm request (Django test client, same database)"
    )
    md += [f"- {key}: {value}" for key, value in meta.items()]
    text = "\n".join(md) + "\n"
    if not results_md.exists():
        results_md.write_text(RESULTS_HEADER)
    with results_md.open("a") as fh:
        fh.write(text)
    shown = results_md.relative_to(ROOT) if results_md.is_relative_to(ROOT) else results_md
    print(f"\nappended to {shown}")
    return 0 if not failures else 3


def main(argv: list[str]) -> int:
    if argv[:1] == ["probe"]:
        return probe()
    if argv[:1] == ["report"] and len(argv) == 3:
        return report(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
