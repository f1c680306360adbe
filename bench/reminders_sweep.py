"""Benchmark of the reminders sweep and of delivery throughput (not a test).

    .venv/bin/python bench/reminders_sweep.py [--throughput]

Environment: ``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/tracker_bench,
created if missing, so colleagues' databases are untouched) and ``BENCH_REDIS_URL`` (default
redis://127.0.0.1:6379/9; that Redis database is flushed).

1. Sweep time with 10,000 and with 1,000,000 pending reminders, 1,000 of them due each time
   (rows inserted with generate_series), the ratio of the two, and the sweep query's plan.
2. Deliveries per second through one worker (``--pool=solo``) on Redis with Django's
   in-memory e-mail backend: 1,000 due reminders → 2,000 deliveries (in-app + e-mail),
   which the sweep enqueues as 40 tasks of 50 messages. Three runs on the same worker; the
   clock runs from the sweep's commit (its messages are published) to the last delivery
   marked sent. The load average is printed with each run: the numbers mean little on a
   machine busy with other work.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ["DATABASE_URL"] = DB_URL
os.environ["REDIS_URL"] = REDIS_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings.test"  # locmem e-mail backend
os.environ.pop("TEST_DB_NAME", None)

DUE = 1000
PLANNER = "bench.reminders_sweep.BenchPlanner"


class BenchPlanner:
    """Each bench token wants one reminder an hour before it expires."""

    model_label = "organizations.apitoken"

    def plan(self, target: Any, *, rules: Any, now: Any) -> list[Any]:
        from notifications.choices import RuleCode
        from notifications.rules import Planned

        return [
            Planned(
                rule=RuleCode.CUSTOM,
                kind="before:1h",
                recipient_id=target.user_id,
                due_at=target.expires_at - timedelta(hours=1),
                anchor_at=target.expires_at,
                title=f"bench {target.pk}",
                url="/notifications/",
            )
        ]


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> None:
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.NOTIFICATIONS_EXTRA_PLANNERS = [PLANNER]
    call_command("migrate", verbosity=0)


def targets() -> list[Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from organizations.models import ApiToken

    user_model = get_user_model()
    users = list(user_model.objects.filter(username__startswith="bench-").order_by("id"))
    if len(users) < DUE:
        user_model.objects.bulk_create(
            [
                user_model(username=f"bench-{i}", email=f"bench-{i}@example.invalid")
                for i in range(len(users), DUE)
            ]
        )
        users = list(user_model.objects.filter(username__startswith="bench-").order_by("id"))
    expires = timezone.now() + timedelta(minutes=59)
    ApiToken.objects.filter(name="bench").delete()
    return ApiToken.objects.bulk_create(
        [
            ApiToken(
                user=user,
                name="bench",
                prefix=f"b{i:06d}",
                key_hash=f"bench{i:059d}",
                expires_at=expires,
            )
            for i, user in enumerate(users)
        ]
    )


def fill(total: int, tokens: list[Any]) -> None:
    """``total`` pending reminders: ``DUE`` due a minute ago, the rest due in 30+ days."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from organizations.models import ApiToken

    ct = ContentType.objects.get_for_model(ApiToken).pk
    filler_token, filler_user = tokens[0].pk, tokens[0].user_id
    with connection.cursor() as cur:
        cur.execute("TRUNCATE notifications_delivery, notifications_reminder")
        cur.execute(
            """
            INSERT INTO notifications_reminder
              (content_type_id, object_id, rule, kind, recipient_id, due_at, anchor_at,
               state, digestible, title, body, url, created_at, updated_at)
            SELECT %s, %s, 'custom', 'filler:' || g, %s,
                   now() + interval '30 days' + g * interval '1 second',
                   now() + interval '60 days', 'pending', true, 'filler', '', '', now(), now()
            FROM generate_series(1, %s) AS g
            """,
            [ct, filler_token, filler_user, total - DUE],
        )
        cur.execute(
            """
            INSERT INTO notifications_reminder
              (content_type_id, object_id, rule, kind, recipient_id, due_at, anchor_at,
               state, digestible, title, body, url, created_at, updated_at)
            SELECT %s, t.id, 'custom', 'before:1h', t.user_id, t.expires_at - interval '1 hour',
                   t.expires_at, 'pending', true, 'bench ' || t.id, '', '/notifications/',
                   now(), now()
            FROM organizations_apitoken t WHERE t.name = 'bench'
            """,
            [ct],
        )
        cur.execute("VACUUM ANALYZE notifications_reminder")


def reset_due() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("TRUNCATE notifications_delivery")
        cur.execute(
            "UPDATE notifications_reminder SET state = 'pending', dispatched_at = NULL "
            "WHERE kind = 'before:1h'"
        )


def explain() -> str:
    from django.db import connection, transaction
    from django.utils import timezone

    from notifications.choices import ReminderState
    from notifications.models import Reminder

    with transaction.atomic():
        qs = (
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(state=ReminderState.PENDING, due_at__lte=timezone.now())
            .order_by("due_at")[:1000]
        )
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
            plan = "\n".join(row[0] for row in cur.fetchall())
        transaction.set_rollback(True)
    return plan


def time_sweep(repeat: int = 3) -> tuple[float, int]:
    from notifications import services
    from notifications.services import sweep

    timings = []
    dispatched = 0
    for _ in range(repeat):
        reset_due()
        # Publishing to Redis is measured in part 2; here: the database work of the sweep.
        with mock.patch.object(sweep, "enqueue_messages"):
            started = time.perf_counter()
            result = services.reminders_sweep()
            timings.append(time.perf_counter() - started)
        dispatched = result.dispatched
    return statistics.median(timings), dispatched


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (Linux), 0.0 where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(runs: int = 3) -> list[tuple[int, float, str, float]]:
    """``runs`` × (deliveries, seconds, load average before the run, worker CPU seconds)
    through one worker. The worker's CPU time does not depend on what else the machine runs;
    the wall time does."""
    import redis
    from django.db import connections

    from notifications import services
    from notifications.choices import DeliveryStatus
    from notifications.models import Delivery

    redis.Redis.from_url(REDIS_URL).flushdb()
    # Production settings (persistent database connections), in-memory e-mail.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tracker.settings.base",
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    log = open(ROOT / "var" / "bench-worker.log", "wb")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(  # noqa: S603 - fixed command line
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "tracker",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname=bench@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results = []
    try:
        time.sleep(4)  # let the worker connect before the clock starts
        for _ in range(runs):
            reset_due()
            before = load()
            cpu = cpu_seconds(worker.pid)
            result = services.reminders_sweep()
            total = result.deliveries
            started = time.perf_counter()
            while Delivery.objects.filter(status=DeliveryStatus.SENT).count() < total:
                if time.perf_counter() - started > 300:
                    raise SystemExit("deliveries did not finish in 300 s")
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            results.append((total, elapsed, before, cpu_seconds(worker.pid) - cpu))
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()
        connections.close_all()
    return results


def main() -> None:
    print(f"load average at start: {load()} on {os.cpu_count()} CPUs")
    setup()
    if "--throughput" in sys.argv[1:]:  # only part 2
        fill(10_000, targets())
        report_throughput()
        return
    tokens = targets()
    results = {}
    plans = {}
    for total in (10_000, 1_000_000):
        started = time.perf_counter()
        fill(total, tokens)
        print(f"filled {total:,} pending reminders in {time.perf_counter() - started:.1f} s")
        plans[total] = explain()
        results[total], dispatched = time_sweep()
        print(
            f"sweep with {total:,} pending, {DUE} due: {results[total] * 1000:.0f} ms "
            f"(median of 3, {dispatched} dispatched)"
        )
    ratio = results[1_000_000] / results[10_000]
    print(f"ratio 1,000,000 / 10,000: {ratio:.2f} (goal <= 1.5)")
    print("\nsweep query plan with 1,000,000 pending:\n" + plans[1_000_000])
    report_throughput()


def report_throughput() -> None:
    print("\nthroughput, one solo worker on Redis, locmem e-mail (goal >= 500/s):")
    rates = []
    for total, elapsed, before, cpu in throughput():
        rates.append(total / elapsed)
        print(
            f"  {total} deliveries in {elapsed:.2f} s: {rates[-1]:.0f}/s "
            f"(load before {before}; worker CPU {cpu * 1000 / total:.2f} ms per delivery)"
        )
    print(f"  median {statistics.median(rates):.0f}/s; load after {load()}")


if __name__ == "__main__":
    main()
