"""QR sign-up burst (DESIGN.md, "Budgets"): the client side and the checks of
bench/run_signup_burst.sh. Standard library only, apart from psycopg (in the project's venv) for
the database checks.

    python bench/signup_burst.py burst  --url URL --campaign CODE --run RUN --out FILE.json
    python bench/signup_burst.py limit  --url URL --campaign CODE --run RUN --limits SPEC \
                                        --out FILE.json
    python bench/signup_burst.py report --db DATABASE_URL --burst FILE.json --limit FILE.json ...

`burst`: CLIENTS threads (default 50) submit SIGNUPS sign-ups (default 1,000) through the real
form, as people who scanned a QR code would: each sign-up GETs /join/CODE/ (the csrftoken cookie,
the csrfmiddlewaretoken and the consent_versions hidden field come from that page), then POSTs
the form with a unique email and follows nothing (expected: 302 to /join/CODE/thanks/). Each
client keeps its own cookie jar. About RESUBMIT (5 %) of the emails are submitted twice: half as a
double click (the same POST twice at the same moment, same cookies and token), half as a second
visit later in the burst by another client (a fresh GET, then the same answers again).

`limit`: one client GETs the form once, then POSTs COUNT (60) sign-ups back to back against the
default JOIN_RATE_LIMITS: the first N (the tightest window's count) must be acknowledged, the rest
refused with 429 — a clear answer, never a 5xx. It starts at the beginning of a rate-limit window
(waiting up to ~15 s) so that the count is exact.

`report` (run after gunicorn has stopped): checks the database — every acknowledged email exists
exactly once as a User with one Member (campaign, status pending), one EmailAddress and one
consent record; nothing refused was stored; the campaign's signup_count equals its members — counts
the confirmation emails in the console-email log, prints the table and appends it, dated, to the
results file. Exit status 0 when all holds, 3 when a check fails.
"""

import argparse
import html.parser
import http.client
import json
import os
import platform
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0  # seconds per request (gunicorn's own worker timeout is 30 s too)


# -------------------------------------------------------------------------------- HTTP client


class FormParser(html.parser.HTMLParser):
    """The inputs of every <form> on a page: [{name: value}] (hidden values and radios' names)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {}
            self.forms.append(self._current)
        elif tag in {"input", "textarea", "select"} and self._current is not None:
            name = attrs.get("name")
            if name and name not in self._current:
                self._current[name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def join_form_fields(body: bytes) -> dict[str, str]:
    parser = FormParser()
    parser.feed(body.decode("utf-8", "replace"))
    for form in parser.forms:
        if "email" in form and "consent_join" in form and "csrfmiddlewaretoken" in form:
            return form
    raise ValueError("no join form (email, consent_join, csrfmiddlewaretoken) on the page")


class Client:
    """One visitor's browser, as far as the form needs: a cookie jar, no redirects followed.
    A new connection per request (gunicorn's sync workers close it after each response)."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None):
        """(status, headers, body, seconds); raises OSError/HTTPException on connection errors."""
        headers = {"User-Agent": "ppie-signup-burst", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0].strip()
        return response.status, response.headers, data, elapsed


def signup_fields(form: dict[str, str], email: str, n: int) -> dict[str, str]:
    """The answers a person gives: the served hidden fields echoed back, the honeypot empty."""
    return {
        "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
        "consent_versions": form.get("consent_versions", ""),
        "display_name": f"Burst {n}",
        "email": email,
        "role": "public",
        "access_needs": "",
        "contact_preference": "email",
        "phone": "",
        "consent_join": "on",
        "website": "",
    }


def classify(status: int | None, location: str, thanks: str) -> str:
    if status is None:
        return "connection error"
    if status == 302 and urlsplit(location).path == thanks:
        return "acknowledged"
    if status == 429:
        return "refused (429)"
    if status >= 500:
        return "server error (5xx)"
    return f"other ({status})"


class Recorder:
    """Every request of a run: kind, email, status, outcome, latency; a few bodies to debug."""

    def __init__(self, thanks: str, samples_dir: Path | None):
        self.thanks = thanks
        self.samples_dir = samples_dir
        self.lock = threading.Lock()
        self.rows: list[dict] = []
        self.samples = 0

    def do(
        self, client: Client, method: str, path: str, *, kind: str, email: str = "", fields=None
    ):
        status, location, body, error = None, "", b"", ""
        started = time.perf_counter()
        try:
            status, headers, body, elapsed = client.request(method, path, fields)
            location = headers.get("Location", "")
        except (OSError, http.client.HTTPException) as exc:
            elapsed = time.perf_counter() - started
            error = f"{type(exc).__name__}: {exc}"
        if method == "GET":
            outcome = "ok" if status == 200 else classify(status, location, self.thanks)
        else:
            outcome = classify(status, location, self.thanks)
        row = {
            "t": round(time.time(), 4),
            "method": method,
            "kind": kind,
            "email": email,
            "status": status,
            "outcome": outcome,
            "ms": round(elapsed * 1000, 2),
        }
        if error:
            row["error"] = error
        with self.lock:
            self.rows.append(row)
            unexpected = outcome not in {"ok", "acknowledged", "refused (429)"}
            if unexpected and self.samples_dir is not None and self.samples < 5:
                self.samples += 1
                name = f"unexpected-{self.samples}-{method}-{status}.html"
                (self.samples_dir / name).write_bytes(body or error.encode())
        return status, body, outcome


# ------------------------------------------------------------------------------------- burst


def cmd_burst(args) -> int:
    path = f"/join/{args.campaign}/"
    thanks = f"{path}thanks/"
    rng = random.Random(args.seed)
    emails = [f"burst-{args.run}-{n:04d}@example.org" for n in range(1, args.signups + 1)]
    twice = rng.sample(range(args.signups), round(args.signups * args.resubmit))
    double_click = set(twice[: len(twice) // 2])
    visit_again = twice[len(twice) // 2 :]
    # The work list: each sign-up once (a double click is one item posting twice), plus a second
    # visit for some, placed at a random point after the first.
    items: list[tuple[int, str]] = [
        (n, "double click" if n in double_click else "first") for n in range(args.signups)
    ]
    for n in sorted(visit_again):
        items.insert(rng.randint(n + 1, len(items)), (n, "second visit"))
    lock = threading.Lock()
    next_item = iter(items)
    out = Path(args.out)
    recorder = Recorder(thanks, out.parent)
    deadline = time.monotonic() + args.deadline
    stopped_early = threading.Event()

    def one_signup(client: Client, n: int, kind: str):
        email = emails[n]
        status, body, _ = recorder.do(client, "GET", path, kind="form", email=email)
        if status != 200:
            return
        try:
            form = join_form_fields(body)
        except ValueError:
            with recorder.lock:
                recorder.rows.append(
                    {
                        "t": time.time(),
                        "method": "PARSE",
                        "kind": "form",
                        "email": email,
                        "status": status,
                        "outcome": "no join form on the page",
                        "ms": 0,
                    }
                )
            return
        fields = signup_fields(form, email, n)
        if kind == "double click":
            second = threading.Thread(
                target=recorder.do,
                args=(client, "POST", path),
                kwargs={"kind": "double click (2nd)", "email": email, "fields": fields},
            )
            second.start()
            recorder.do(client, "POST", path, kind="double click (1st)", email=email, fields=fields)
            second.join()
        else:
            recorder.do(client, "POST", path, kind=kind, email=email, fields=fields)

    def worker():
        client = Client(args.url)
        while True:
            if time.monotonic() > deadline:
                stopped_early.set()
                return
            with lock:
                item = next(next_item, None)
            if item is None:
                return
            one_signup(client, *item)

    started_at = datetime.now(UTC)
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    result = {
        "phase": "burst",
        "url": args.url,
        "campaign": args.campaign,
        "run": args.run,
        "clients": args.clients,
        "signups": args.signups,
        "emails": emails,
        "double_click": sorted(emails[n] for n in double_click),
        "visit_again": sorted(emails[n] for n in visit_again),
        "started_at": started_at.isoformat(),
        "wall_s": wall,
        "load_1min": [load_start, os.getloadavg()[0]],
        "deadline_s": args.deadline,
        "stopped_early": stopped_early.is_set(),
        "rows": recorder.rows,
    }
    out.write_text(json.dumps(result))
    summary = summarise_burst(result)
    print(
        f"burst: {summary['posts']} POSTs in {wall:.1f} s, "
        f"{summary['acknowledged']}/{args.signups} sign-ups acknowledged, "
        f"{summary['server_errors']} 5xx, {summary['connection_errors']} connection errors"
        + (" (STOPPED AT THE DEADLINE)" if stopped_early.is_set() else ""),
        file=sys.stderr,
    )
    return 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarise_burst(result: dict) -> dict:
    rows = result["rows"]
    posts = [r for r in rows if r["method"] == "POST"]
    gets = [r for r in rows if r["method"] == "GET"]
    acked = {r["email"] for r in posts if r["outcome"] == "acknowledged"}
    post_ms = [r["ms"] for r in posts if r["status"] is not None]
    get_ms = [r["ms"] for r in gets if r["status"] is not None]
    return {
        "attempted": len({r["email"] for r in rows}),
        "posts": len(posts),
        "gets": len(gets),
        "acknowledged": len(acked),
        "acked_emails": acked,
        "acked_posts": sum(r["outcome"] == "acknowledged" for r in posts),
        "server_errors": sum(r["outcome"] == "server error (5xx)" for r in rows),
        "connection_errors": sum(r["outcome"] == "connection error" for r in rows),
        "post_outcomes": Counter(r["outcome"] for r in posts),
        "get_outcomes": Counter(r["outcome"] for r in gets)
        + Counter(r["outcome"] for r in rows if r["method"] == "PARSE"),
        "post_p": [percentile(post_ms, q) for q in (0.5, 0.95, 0.99)] + [max(post_ms or [0])],
        "get_p": [percentile(get_ms, q) for q in (0.5, 0.95, 0.99)] + [max(get_ms or [0])],
        "resubmits": {
            kind: Counter(r["outcome"] for r in posts if r["kind"].startswith(kind))
            for kind in ("double click (2nd)", "second visit")
        },
        "signups_per_s": len(acked) / result["wall_s"] if result["wall_s"] else 0.0,
        "posts_per_s": len(posts) / result["wall_s"] if result["wall_s"] else 0.0,
    }


# ------------------------------------------------------------------------------------- limit


def parse_limits(spec: str) -> list[tuple[int, int]]:
    limits = []
    for part in spec.split(","):
        count, _, period = part.strip().partition("/")
        if count:
            limits.append((int(count), int(period)))
    return limits


def cmd_limit(args) -> int:
    path = f"/join/{args.campaign}/"
    limits = parse_limits(args.limits)
    allowed, period = min(limits)
    # Fixed windows (engagement/ratelimit.py: now // period): start early in one, or a burst
    # straddling two windows is rightly allowed up to twice the count.
    into = time.time() % period
    if period - into < args.margin:
        wait = period - into + 0.2
        print(f"limit: waiting {wait:.1f} s for the next {period}-s window", file=sys.stderr)
        time.sleep(wait)
    out = Path(args.out)
    recorder = Recorder(f"{path}thanks/", out.parent)
    client = Client(args.url)
    emails = [f"burst-{args.run}-limit-{n:03d}@example.org" for n in range(1, args.count + 1)]
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    status, body, _ = recorder.do(client, "GET", path, kind="form")
    if status != 200:
        print(f"limit: GET {path} answered {status}", file=sys.stderr)
        return 1
    form = join_form_fields(body)
    for n, email in enumerate(emails, 1):
        recorder.do(
            client, "POST", path, kind="fast", email=email, fields=signup_fields(form, email, n)
        )
    wall = time.perf_counter() - started
    result = {
        "phase": "limit",
        "url": args.url,
        "campaign": args.campaign,
        "limits": args.limits,
        "expected_acknowledged": min(allowed, args.count),
        "emails": emails,
        "started_at": started_at.isoformat(),
        "wall_s": wall,
        "rows": recorder.rows,
    }
    out.write_text(json.dumps(result))
    outcomes = [r["outcome"] for r in recorder.rows if r["method"] == "POST"]
    print(f"limit: {pattern(outcomes)} in {wall:.1f} s", file=sys.stderr)
    return 0


def pattern(outcomes: list[str]) -> str:
    """Run-length form: 'acknowledged ×30, then refused (429) ×30'."""
    runs: list[list] = []
    for outcome in outcomes:
        if runs and runs[-1][0] == outcome:
            runs[-1][1] += 1
        else:
            runs.append([outcome, 1])
    return ", then ".join(f"{o} ×{c}" for o, c in runs) or "nothing"


# ------------------------------------------------------------------------------------ checks


def db_state(dsn: str, emails: list[str], campaign: str) -> dict:
    """Per email (lower-cased): users, members (any), members of CAMPAIGN with status pending,
    email addresses, consent records; and the campaign's signup_count and member count."""
    import psycopg

    lowered = [e.lower() for e in emails]
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            """
            SELECT lower(u.email),
                   count(DISTINCT u.id),
                   count(DISTINCT m.id),
                   count(DISTINCT m.id) FILTER (WHERE c.code = %(code)s AND m.status = 'pending'),
                   count(DISTINCT a.id),
                   count(DISTINCT r.id)
              FROM engagement_user u
              LEFT JOIN engagement_member m ON m.user_id = u.id
              LEFT JOIN engagement_campaign c ON c.id = m.campaign_id
              LEFT JOIN account_emailaddress a ON a.user_id = u.id
              LEFT JOIN engagement_consentrecord r ON r.member_id = m.id
             WHERE lower(u.email) = ANY(%(emails)s)
             GROUP BY lower(u.email)
            """,
            {"code": campaign, "emails": lowered},
        ).fetchall()
        camp = conn.execute(
            """
            SELECT c.signup_count, c.visit_count, count(m.id),
                   count(m.id) FILTER (WHERE lower(u.email) <> ALL(%(emails)s) OR u.id IS NULL)
              FROM engagement_campaign c
              LEFT JOIN engagement_member m ON m.campaign_id = c.id
              LEFT JOIN engagement_user u ON u.id = m.user_id
             WHERE c.code = %(code)s
             GROUP BY c.id
            """,
            {"code": campaign, "emails": lowered},
        ).fetchone()
        server = conn.execute("SHOW server_version").fetchone()[0]
    per_email = {
        row[0]: {
            "users": row[1],
            "members": row[2],
            "ok": row[3],
            "addresses": row[4],
            "consents": row[5],
        }
        for row in rows
    }
    signup_count, visit_count, members, strangers = camp or (None, None, 0, 0)
    return {
        "per_email": per_email,
        "signup_count": signup_count,
        "visit_count": visit_count,
        "members": members,
        "strangers": strangers,
        "postgres": server,
    }


def check_signups(state: dict, attempted: list[str], acked: set[str]) -> dict:
    per = state["per_email"]
    lost = sorted(e for e in acked if per.get(e.lower(), {}).get("ok", 0) != 1)
    duplicated = sorted(
        e
        for e, v in per.items()
        if v["users"] > 1 or v["members"] > 1 or v["addresses"] > 1 or v["consents"] > 1
    )
    stored_not_acked = sorted(e for e in attempted if e.lower() in per and e not in acked)
    created = sum(1 for e in attempted if per.get(e.lower(), {}).get("ok", 0) >= 1)
    return {
        "lost": lost,
        "duplicated": duplicated,
        "stored_not_acked": stored_not_acked,
        "created": created,
        "signup_count_ok": state["signup_count"] == state["members"] == created,
    }


def count_emails(log: Path, emails: list[str]) -> Counter:
    """Console-backend messages per recipient among EMAILS (their 'To:' header lines)."""
    wanted = {e.lower() for e in emails}
    counts: Counter = Counter()
    if not log.exists():
        return counts
    with log.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("To: "):
                address = line[4:].strip().lower()
                if address in wanted:
                    counts[address] += 1
    return counts


def service_times(log: Path, path: str) -> dict[str, list[float]]:
    """Milliseconds gunicorn spent on each GET/POST of PATH (access log format ending in %(L)s)."""
    times: dict[str, list[float]] = {"GET": [], "POST": []}
    if not log.exists():
        return times
    pattern_ = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" \d+ \S+ ([\d.]+)$')
    with log.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            match = pattern_.search(line.rstrip())
            if match and match[2] == path:
                times[match[1]].append(float(match[3]) * 1000)
    return times


def machine_facts() -> list[tuple[str, str]]:
    cpu = "unknown CPU"
    mem = "?"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        cpu = match.group(1).strip() if match else cpu
        kib = int(re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.M)[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, TypeError, ValueError):
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or "?"
    return [("Machine", f"{platform.machine()}, {nproc} cores (nproc), {mem} RAM, {cpu}")]


def versions(postgres: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}"]
    for name in ("Django", "wagtail", "gunicorn", "psycopg", "redis"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} ?")
    parts.append(f"PostgreSQL {postgres}")
    redis_version = os.environ.get("BENCH_REDIS_VERSION")
    if redis_version:
        parts.append(f"Redis server {redis_version}")
    return ", ".join(parts)


def ms(value: float) -> str:
    return f"{value:.0f} ms" if value == value else "–"


def cmd_report(args) -> int:
    burst = json.loads(Path(args.burst).read_text())
    limit = json.loads(Path(args.limit).read_text()) if args.limit else None
    s = summarise_burst(burst)
    b_state = db_state(args.db, burst["emails"], burst["campaign"])
    b_check = check_signups(b_state, burst["emails"], s["acked_emails"])
    mails = count_emails(Path(args.emails_log), burst["emails"]) if args.emails_log else Counter()
    problems: list[str] = []  # the budget is broken
    incomplete: list[str] = []  # the budget is not shown (the burst did not finish in time)

    other_posts = {
        k: v
        for k, v in s["post_outcomes"].items()
        if k not in {"acknowledged", "server error (5xx)", "connection error"}
    }
    rows: list[tuple[str, str]] = [
        (
            "Clients × sign-ups",
            f"{burst['clients']} concurrent × {burst['signups']:,} distinct emails",
        ),
        (
            "Double submits (planned)",
            f"{len(burst['double_click'])} double clicks (same POST twice at once) + "
            f"{len(burst['visit_again'])} second visits later in the burst",
        ),
        (
            "Sign-ups attempted",
            f"{s['attempted']:,} ({s['posts']:,} POSTs, {s['gets']:,} GETs of the form)",
        ),
        (
            "Acknowledged (302 → thanks)",
            f"{s['acknowledged']:,} emails ({s['acked_posts']:,} POSTs)",
        ),
        ("Server errors (5xx)", str(s["server_errors"])),
        ("Connection errors", str(s["connection_errors"])),
        (
            "Other POST statuses",
            ", ".join(f"{k}: {v}" for k, v in sorted(other_posts.items())) or "none",
        ),
        (
            "Form GETs not answered 200",
            ", ".join(f"{k}: {v}" for k, v in sorted(s["get_outcomes"].items()) if k != "ok")
            or "none",
        ),
        (
            "Second submits answered",
            "; ".join(
                f"{kind}: " + (", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "none")
                for kind, c in s["resubmits"].items()
            ),
        ),
        ("POST latency p50 / p95 / p99 / max", " / ".join(ms(v) for v in s["post_p"])),
        ("GET (form) latency p50 / p95 / p99", " / ".join(ms(v) for v in s["get_p"][:3])),
        (
            "Throughput",
            f"{s['signups_per_s']:.1f} sign-ups/s ({s['posts_per_s']:.1f} POSTs/s, plus the GETs)",
        ),
        (
            "Wall time",
            f"{burst['wall_s']:.1f} s"
            + (" (stopped at the deadline)" if burst["stopped_early"] else ""),
        ),
        (
            "In the database",
            f"{b_check['created']:,} members (campaign {burst['campaign']}, pending); "
            f"signup_count {b_state['signup_count']}; members of the campaign {b_state['members']}"
            + (f" ({b_state['strangers']} not from this run)" if b_state["strangers"] else ""),
        ),
        (
            "Lost / duplicated",
            f"lost: {len(b_check['lost'])}, duplicated: {len(b_check['duplicated'])}",
        ),
    ]
    if b_check["stored_not_acked"]:
        rows.append(("Stored but not acknowledged", str(len(b_check["stored_not_acked"]))))
    if args.access_log:
        served = service_times(Path(args.access_log), f"/join/{burst['campaign']}/")
        if served["POST"]:
            rows.insert(
                rows.index(next(r for r in rows if r[0].startswith("GET (form)"))) + 1,
                (
                    "Server time of a POST p50 / p95 / p99",
                    " / ".join(ms(percentile(served["POST"], q)) for q in (0.5, 0.95, 0.99))
                    + " (gunicorn access log: the rest of the latency is waiting for a worker)",
                ),
            )
    if args.emails_log:
        extra = sorted(e for e, c in mails.items() if c > 1)
        rows.append(
            (
                "Confirmation emails (console)",
                f"{sum(mails.values()):,} to {len(mails):,} addresses; "
                f"{len(extra)} addresses emailed more than once",
            )
        )
        if sum(mails.values()) != b_check["created"] or extra:
            problems.append(
                f"confirmation emails: {sum(mails.values())} sent for {b_check['created']} "
                f"sign-ups ({len(extra)} addresses more than once, e.g. {extra[:3]})"
            )
    if s["server_errors"]:
        problems.append(f"{s['server_errors']} server errors (5xx) in the burst")
    if s["connection_errors"]:
        problems.append(f"{s['connection_errors']} connection errors in the burst")
    if b_check["lost"]:
        problems.append(
            f"lost: {len(b_check['lost'])} acknowledged but not stored, e.g. {b_check['lost'][:3]}"
        )
    if b_check["duplicated"]:
        problems.append(
            f"duplicated: {len(b_check['duplicated'])}, e.g. {b_check['duplicated'][:3]}"
        )
    if not b_check["signup_count_ok"]:
        problems.append(
            f"campaign {burst['campaign']}: signup_count {b_state['signup_count']}, members "
            f"{b_state['members']}, created in this run {b_check['created']} (should be equal)"
        )
    if s["acknowledged"] != burst["signups"]:
        (incomplete if burst["stopped_early"] else problems).append(
            f"only {s['acknowledged']} of {burst['signups']} sign-ups acknowledged"
            + (
                f" (stopped at the {burst['deadline_s']:.0f}-s deadline)"
                if burst["stopped_early"]
                else ""
            )
        )
    if b_state["strangers"]:
        problems.append(f"{b_state['strangers']} members of the campaign not from this run")

    limit_rows: list[tuple[str, str]] = []
    if limit is not None:
        posts = [r for r in limit["rows"] if r["method"] == "POST"]
        outcomes = [r["outcome"] for r in posts]
        acked = {r["email"] for r in posts if r["outcome"] == "acknowledged"}
        refused = [r["email"] for r in posts if r["outcome"] == "refused (429)"]
        l_state = db_state(args.db, limit["emails"], limit["campaign"])
        l_check = check_signups(l_state, limit["emails"], acked)
        expected = limit["expected_acknowledged"]
        errors = sum(o in {"server error (5xx)", "connection error"} for o in outcomes)
        latencies = [r["ms"] for r in posts if r["status"] is not None]
        limit_rows = [
            (
                "Limits (default JOIN_RATE_LIMITS)",
                f"{limit['limits']} (count/seconds), one address",
            ),
            ("Sign-ups posted back to back", f"{len(posts)} in {limit['wall_s']:.1f} s"),
            ("Answers in order", pattern(outcomes)),
            (
                "Acknowledged / refused (429) / 5xx",
                f"{len(acked)} / {len(refused)} / {errors} "
                f"(expected {expected} / {len(posts) - expected} / 0)",
            ),
            (
                "POST latency p50 / p95",
                f"{ms(percentile(latencies, 0.5))} / {ms(percentile(latencies, 0.95))}",
            ),
            (
                "In the database",
                f"{l_check['created']} members; "
                f"refused but stored: {len(l_check['stored_not_acked'])}; "
                f"lost: {len(l_check['lost'])}, duplicated: {len(l_check['duplicated'])}; "
                f"signup_count {l_state['signup_count']}",
            ),
        ]
        first_expected = ["acknowledged"] * expected + ["refused (429)"] * (len(posts) - expected)
        if errors:
            problems.append(f"rate limit phase: {errors} server/connection errors")
        if outcomes != first_expected:
            problems.append(
                f"rate limit phase: expected the first {expected} acknowledged and the rest "
                f"429, got {pattern(outcomes)}"
            )
        if (
            l_check["lost"]
            or l_check["duplicated"]
            or l_check["stored_not_acked"]
            or not l_check["signup_count_ok"]
        ):
            problems.append(
                f"rate limit phase database: lost {len(l_check['lost'])}, duplicated "
                f"{len(l_check['duplicated'])}, refused but stored "
                f"{len(l_check['stored_not_acked'])}, "
                f"signup_count {l_state['signup_count']} vs {l_check['created']} created"
            )

    load = burst.get("load_1min", [float("nan")] * 2)
    cores = os.cpu_count() or 1
    busy = max(load) > cores
    load_note = f"{load[0]:.1f} at the start of the burst, {load[1]:.1f} at its end" + (
        f" — more than the {cores} cores: other processes were running, figures disturbed"
        if busy
        else ""
    )
    rows.append(("Load average (1 min)", load_note))

    # ---------------------------------------------------------------------------- output
    width = max(len(k) for k, _ in rows + limit_rows)
    print(f"\nQR sign-up burst ({burst['url']}, campaign {burst['campaign']})")
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    if limit_rows:
        print(f"\nRate limit, default settings (campaign {limit['campaign']})")
        for key, value in limit_rows:
            print(f"  {key:<{width}}  {value}")
    print(f"\nlost: {len(b_check['lost'])}, duplicated: {len(b_check['duplicated'])}")
    verdict = "FAIL" if problems else "INCOMPLETE" if incomplete else "PASS"
    for problem in problems:
        print(f"  FAIL: {problem}")
    for problem in incomplete:
        print(f"  INCOMPLETE: {problem}")
    print(f"Budget (DESIGN.md: 0 server errors, 0 lost, 0 duplicated): {verdict}\n")

    facts = [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")),
        *machine_facts(),
        ("Versions", versions(b_state["postgres"])),
        ("Server", args.server or "gunicorn"),
        ("Command", f"`{args.command}`" if args.command else "`bash bench/run_signup_burst.sh`"),
    ]
    results = Path(args.results) if args.results else None
    if results is None:
        default = ROOT / "bench" / "RESULTS.md"
        results = default if default.exists() else ROOT / "bench" / "RESULTS-signup-burst.md"
    section = [f"\n## QR sign-up burst — {facts[0][1]}\n"]
    section += [
        f"- **Method**: {burst['clients']} concurrent clients submit {burst['signups']:,} "
        "sign-ups through the real form (GET /join/CODE/, then POST with the served CSRF token "
        "and consent versions; ~5 % of the emails submitted twice), then gunicorn is stopped "
        "and the database checked; then one client posts 60 sign-ups back to back with the "
        "default rate limit. **Budget** (DESIGN.md): 0 server errors, 0 lost, 0 duplicated; "
        "refusals are 429, never 5xx."
    ]
    section += [f"- **{k}**: {v}" for k, v in facts[1:]]
    section += ["", "| Burst | |", "|---|---|"]
    section += [f"| {k} | {v} |" for k, v in rows]
    if limit_rows:
        section += ["", "| Rate limit (default settings) | |", "|---|---|"]
        section += [f"| {k} | {v} |" for k, v in limit_rows]
    section += ["", f"**Budget** (0 server errors, 0 lost, 0 duplicated): **{verdict}**"]
    section += [f"- FAIL: {p}" for p in problems] + [f"- INCOMPLETE: {p}" for p in incomplete]
    new_file = not results.exists()
    with results.open("a", encoding="utf-8") as fh:
        if new_file:
            fh.write(
                "# QR sign-up burst results\n\nAppended by `bench/run_signup_burst.sh` "
                '(see DESIGN.md, "Budgets"); newest section last.\n'
            )
        fh.write("\n".join(section) + "\n")
    print(f"results {'written to' if new_file else 'appended to'} {display_path(results)}")
    return 0 if verdict == "PASS" else 3


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("burst", help="many clients, many sign-ups")
    p.add_argument("--url", required=True, help="e.g. http://127.0.0.1:8123")
    p.add_argument("--campaign", default="burst")
    p.add_argument("--run", required=True, help="distinguishes this run's emails")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--signups", type=int, default=1000)
    p.add_argument("--resubmit", type=float, default=0.05, help="share of emails submitted twice")
    p.add_argument("--deadline", type=float, default=150, help="seconds; no new sign-up after it")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_burst)

    p = sub.add_parser("limit", help="one client, sign-ups back to back, default rate limit")
    p.add_argument("--url", required=True)
    p.add_argument("--campaign", default="burst-limit")
    p.add_argument("--run", required=True)
    p.add_argument("--limits", required=True, help="the server's JOIN_RATE_LIMITS")
    p.add_argument("--count", type=int, default=60)
    p.add_argument("--margin", type=float, default=15, help="seconds the window must have left")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_limit)

    p = sub.add_parser("report", help="database checks, table, results file")
    p.add_argument("--db", required=True, help="postgres://... of the benchmark database")
    p.add_argument("--burst", required=True)
    p.add_argument("--limit")
    p.add_argument("--emails-log", help="gunicorn stdout of the burst (console emails)")
    p.add_argument("--access-log", help="gunicorn access log of the burst (format ends in %%(L)s)")
    p.add_argument("--results", help="markdown file to append to (default: see module doc)")
    p.add_argument("--server", help="how the server ran, for the record")
    p.add_argument("--command", help="the command that ran the benchmark, for the record")
    p.set_defaults(func=cmd_report)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
