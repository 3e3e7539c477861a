"""Voting burst: many members spend their points at once, several requests each, against a
running server; then the database must agree with what the server acknowledged.

  python bench/vote_burst.py setup  --members 200 --features 12      (inside Django: makes data)
  python bench/vote_burst.py burst  --base http://127.0.0.1:PORT --sessions FILE --concurrency 50
  python bench/vote_burst.py check  --acks FILE                       (inside Django: verifies)

setup and check run with DJANGO_SETTINGS_MODULE and DATABASE_URL set like the server's.
Each member fires one request per feature in a random order, all at once (up to the
concurrency limit), each posting a single feature with 1 point. With a budget of B points,
exactly B requests per member may be acknowledged (302); the rest must be refused (400), and
no request may fail (5xx). Afterwards: no member over budget, and each feature's tally equals
the number of acknowledged requests for it.
"""

import argparse
import http.client
import json
import random
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

SLUG = "bench-vote"


def django_setup():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def cmd_setup(args) -> int:
    django_setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils import timezone

    from engagement.models import Consultation, Feature, Member, User

    now = timezone.now()
    consultation, _ = Consultation.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": "Bench vote",
            "summary": "Benchmark",
            "opens_at": now - timezone.timedelta(hours=1),
            "released_at": now - timezone.timedelta(hours=1),
            "closes_at": now + timezone.timedelta(days=1),
            "voting_method": Consultation.Method.POINTS,
            "results_visibility": Consultation.Visibility.LIVE,
        },
    )
    for i in range(args.features):
        Feature.objects.get_or_create(
            consultation=consultation, title=f"Feature {i + 1}", sort_order=i
        )
    roles = ["patient", "carer", "public", "clinician"]
    sessions = {}
    for i in range(args.members):
        user, _ = User.objects.get_or_create(email=f"voter{i}@bench.example.org")
        member, _ = Member.objects.get_or_create(
            user=user,
            defaults={
                "display_name": f"Voter {i}",
                "role": roles[i % 4],
                "status": "active",
                "channel": "web",
            },
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        sessions[member.pk] = session.session_key
    features = list(consultation.features.values_list("pk", flat=True))
    Path(args.out).write_text(
        json.dumps({"sessions": sessions, "features": features, "budget": consultation.budget()})
    )
    print(f"{len(sessions)} members, {len(features)} features, budget {consultation.budget()}")
    return 0


def request(base, method, path, session_key, csrf=None, body=None):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Cookie": f"sessionid={session_key}" + (f"; csrftoken={csrf}" if csrf else "")}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = base + path
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return (
            response.status,
            data,
            response.getheader("Set-Cookie") or "",
            time.perf_counter() - start,
        )
    except OSError as error:
        return None, str(error).encode(), "", time.perf_counter() - start
    finally:
        conn.close()


def cmd_burst(args) -> int:
    info = json.loads(Path(args.sessions).read_text())
    base = args.base.rstrip("/")
    path = f"/consultations/{SLUG}/"
    # Each member first opens the page (CSRF token), like a person would.
    tokens = {}

    def open_page(item):
        member_id, key = item
        status, body, cookie, _ = request(base, "GET", path, key)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie)
        if status != 200 or not match or not csrf_cookie:
            raise SystemExit(
                f"could not open the consultation page for member {member_id}: {status}"
            )
        tokens[member_id] = (key, match.group(1).decode(), csrf_cookie.group(1))

    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(open_page, info["sessions"].items()))
    jobs = []
    rng = random.Random(1)  # noqa: S311 - load pattern, not security
    for member_id, (key, token, cookie) in tokens.items():
        order = list(info["features"])
        rng.shuffle(order)
        for feature in order:
            jobs.append((member_id, key, token, cookie, feature))
    rng.shuffle(jobs)
    results = []
    lock = threading.Lock()

    def vote(job):
        member_id, key, token, cookie, feature = job
        body = urlencode({"csrfmiddlewaretoken": token, f"feature-{feature}": "1"})
        status, _data, _c, seconds = request(base, "POST", path + "vote/", key, cookie, body)
        with lock:
            results.append(
                {"member": member_id, "feature": feature, "status": status, "s": seconds}
            )

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(vote, jobs))
    wall = time.perf_counter() - started
    Path(args.acks).write_text(json.dumps({"results": results, "budget": info["budget"]}))
    times = sorted(r["s"] for r in results)
    by_status = {}
    for r in results:
        by_status[str(r["status"])] = by_status.get(str(r["status"]), 0) + 1
    summary = {
        "requests": len(results),
        "members": len(tokens),
        "wall_s": round(wall, 1),
        "req_per_s": round(len(results) / wall, 1),
        "p50_ms": round(statistics.median(times) * 1000),
        "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000),
        "statuses": by_status,
    }
    print(json.dumps(summary))
    return 0 if all(r["status"] in (302, 400) for r in results) else 3


def cmd_check(args) -> int:
    django_setup()
    from django.db.models import Count, Sum

    from engagement.models import Consultation, Vote

    data = json.loads(Path(args.acks).read_text())
    budget = data["budget"]
    consultation = Consultation.objects.get(slug=SLUG)
    accepted_per_feature: dict[int, int] = {}
    accepted_per_member: dict[str, int] = {}
    for r in data["results"]:
        if r["status"] == 302:
            accepted_per_feature[r["feature"]] = accepted_per_feature.get(r["feature"], 0) + 1
            accepted_per_member[r["member"]] = accepted_per_member.get(r["member"], 0) + 1
    tallies = dict(
        Vote.objects.filter(consultation=consultation)
        .values("feature_id")
        .annotate(total=Sum("value"))
        .values_list("feature_id", "total")
    )
    per_member = dict(
        Vote.objects.filter(consultation=consultation)
        .values("member_id")
        .annotate(total=Sum("value"), n=Count("pk"))
        .values_list("member_id", "total")
    )
    mismatched = [
        f
        for f in set(tallies) | set(accepted_per_feature)
        if tallies.get(f, 0) != accepted_per_feature.get(f, 0)
    ]
    over_budget = [m for m, total in per_member.items() if total > budget]
    member_mismatch = [
        m for m in accepted_per_member if per_member.get(int(m), 0) != accepted_per_member[m]
    ]
    print(
        json.dumps(
            {
                "accepted": sum(accepted_per_feature.values()),
                "tally_total": sum(tallies.values()),
                "features_mismatched": len(mismatched),
                "members_over_budget": len(over_budget),
                "members_mismatched": len(member_mismatch),
            }
        )
    )
    return 0 if not (mismatched or over_budget or member_mismatch) else 3


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--members", type=int, default=200)
    p.add_argument("--features", type=int, default=12)
    p.add_argument("--out", required=True)
    p = sub.add_parser("burst")
    p.add_argument("--base", required=True)
    p.add_argument("--sessions", required=True)
    p.add_argument("--acks", required=True)
    p.add_argument("--concurrency", type=int, default=50)
    p = sub.add_parser("check")
    p.add_argument("--acks", required=True)
    args = parser.parse_args()
    return {"setup": cmd_setup, "burst": cmd_burst, "check": cmd_check}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
