"""Where does one page's time go? In-process, with Django's test client (no gunicorn, no wrk).

    DJANGO_SETTINGS_MODULE=... python bench/profile_page.py PATH [N] [--sql] [--prof] [--as=EMAIL]

Requests PATH once to warm up, then N times (default 200), and prints the mean wall and CPU
time per request (CPU time is less disturbed by other load on the machine), the SQL queries of
one warm request with their total time (--sql lists them), and with --prof the functions with
the most cumulative time under cProfile; --as=EMAIL requests it signed in as that user
(e.g. --as=patient@example.org, the demo's patient partner). Works in any Django project
(run it from that project's directory so its settings import), so the bare Wagtail baseline can
be profiled the same way. Set ALLOWED_HOSTS to include 127.0.0.1 and disable SSL redirects.
"""

import cProfile
import io
import os
import pstats
import re
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    path, n = args[0], int(args[1]) if len(args) > 1 else 200
    sys.path.insert(0, os.getcwd())
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=os.environ.get("BENCH_HOST", "127.0.0.1"))
    email = next((a.split("=", 1)[1] for a in argv if a.startswith("--as=")), None)
    if email:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(email=email))
    first = client.get(path)
    if first.status_code != 200:
        print(f"{path}: status {first.status_code}", file=sys.stderr)
        return 1
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"{path}: {len(ctx)} queries, {sql_ms:.2f} ms in SQL (as seen by Django)")
    if "--sql" in argv:
        for q in ctx.captured_queries:
            sql = re.sub(r"^SELECT .+? FROM ", "SELECT … FROM ", q["sql"], flags=re.S)
            print(f"  {float(q['time']) * 1000:6.2f} ms  {sql[:200]}")

    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(n):
        client.get(path)
    wall = (time.perf_counter() - start) / n * 1000
    cpu = (time.process_time() - cpu_start) / n * 1000
    print(
        f"{path}: {wall:.2f} ms wall, {cpu:.2f} ms CPU of this process per request "
        f"(mean of {n}, in-process test client; CPU excludes PostgreSQL's own time)"
    )

    if "--prof" in argv:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            client.get(path)
        profiler.disable()
        reset_queries()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(45)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
