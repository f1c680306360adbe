"""Benchmark of the bulk import (not a test).

    .venv/bin/python bench/imports.py [--meetings 1000] [--items 10000]

Environment: ``BENCH_DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/tracker_bench_imports, created if missing, its meetings
and reminders truncated between runs, so colleagues' databases are untouched) and
``BENCH_REDIS_URL`` (the cache the progress goes to; default redis://127.0.0.1:6379/5).

1. A workbook of 1,000 meetings and 10,000 action items (each pointing at its meeting by
   the sheet's reference column, owned by an organisation named in Persian, Jalali dates),
   imported by ``import_job_run`` as the Celery task runs it: rows per second.
2. The same rows inserted through ``meeting_log`` and ``action_item_create`` directly in one
   process and one transaction, with the organisations already at hand: the ratio of the
   two is what reading, matching and checking the file costs on top of the services.
3. Memory: the peak (tracemalloc) of streaming the sheets of the workbook and of one four
   times its size; and the peak RSS of a process that imports 1/``--rss`` and 4/``--rss``
   of the workbook (each in its own process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench_imports"
)
os.environ["DATABASE_URL"] = DB_URL
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings.test"
os.environ.pop("TEST_DB_NAME", None)

HOST = "شهرداری قدس"
ESTATES = [f"شهرک صنعتی شماره {i}" for i in range(1, 21)]


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> Any:
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-imports-")
    settings.IMPORT_MAX_ROWS = 1_000_000
    settings.IMPORT_MAX_BYTES = 1 << 30
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from organizations.choices import OrganizationKind, Role
    from organizations.models import Membership, Organization
    from tracker.text import normalize

    def org(name: str, kind: str) -> Any:
        found, _ = Organization.objects.get_or_create(
            name_key=normalize(name), parent=None, defaults={"name": name, "kind": kind}
        )
        return found

    host = org(HOST, OrganizationKind.MUNICIPALITY)
    for name in ESTATES:
        org(name, OrganizationKind.INDUSTRIAL_ESTATE)
    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    Membership.objects.get_or_create(user=user, organization=host, defaults={"role": Role.ADMIN})
    return user


def truncate() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE meetings_meeting, notifications_reminder, notifications_delivery,"
            " imports_importjob CASCADE"
        )


def _rows(meetings: int, items: int) -> tuple[list[list[Any]], list[list[Any]]]:
    from tracker.jalali import TEHRAN, jalali_string

    start = datetime(2024, 4, 20, 9, 0, tzinfo=TEHRAN)
    meeting_rows = [
        [
            f"M{m}",
            f"جلسه هماهنگی شماره {m}",
            HOST,
            jalali_string(start + timedelta(days=m % 300)),
            ESTATES[m % len(ESTATES)],
        ]
        for m in range(meetings)
    ]
    item_rows = [
        [
            f"اقدام {i}: پیگیری خدمات شهری",
            f"M{i % meetings}",
            ESTATES[i % len(ESTATES)],
            jalali_string(date(2025, 1, 1) + timedelta(days=i % 200)),
        ]
        for i in range(items)
    ]
    return meeting_rows, item_rows


def workbook(path: Path, meetings: int, items: int) -> None:
    from openpyxl import Workbook

    meeting_rows, item_rows = _rows(meetings, items)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("جلسات")
    sheet.append(["مرجع", "عنوان", "میزبان", "شروع (شمسی)", "سازمان‌های شرکت‌کننده"])
    for row in meeting_rows:
        sheet.append(row)
    sheet = book.create_sheet("اقدامات")
    sheet.append(["شرح", "مرجع جلسه", "سازمان مسئول", "مهلت (شمسی)"])
    for row in item_rows:
        sheet.append(row)
    book.save(path)


def run_import(user: Any, path: Path) -> tuple[float, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.services import import_job_create, import_job_run

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = import_job_create(actor=user, kind="workbook", upload=upload)
    began = time.perf_counter()
    import_job_run(job_id=job.pk)
    elapsed = time.perf_counter() - began
    job.refresh_from_db()
    return elapsed, job


def run_direct(user: Any, meetings: int, items: int) -> float:
    """The same rows through the services, values already parsed and organisations loaded."""
    from django.db import transaction

    from meetings.services import action_item_create, meeting_log
    from organizations.models import Organization
    from tracker.jalali import parse_date, parse_datetime

    meeting_rows, item_rows = _rows(meetings, items)
    orgs = {o.name: o for o in Organization.objects.all()}
    began = time.perf_counter()
    with transaction.atomic():
        by_ref = {}
        for ref, title, host, start, participant in meeting_rows:
            by_ref[ref] = meeting_log(
                actor=user,
                title=title,
                host=orgs[host],
                start=parse_datetime(start),
                participants=[orgs[participant]],
            )
        for description, ref, owner, due in item_rows:
            action_item_create(
                actor=user,
                meeting=by_ref[ref],
                description=description,
                due_date=parse_date(due),
                owner_organization=orgs[owner],
            )
    return time.perf_counter() - began


def _stream(path: Path, reader: str) -> int:
    """Rows of every sheet, read by the import's reader (``disk``: ``imports.xlsx_stream``)
    or by plain openpyxl read-only mode (``openpyxl``: the reader before issue 14's memory
    work: the shared strings in a list, every parsed row kept in the tree)."""
    from imports import xlsx_stream
    from imports.reading import read_sheets

    saved = xlsx_stream.open_workbook, xlsx_stream.sheet_values
    if reader == "openpyxl":
        from openpyxl import load_workbook

        xlsx_stream.open_workbook = lambda handle: (  # type: ignore[assignment]
            load_workbook(handle, read_only=True, data_only=True),
            None,
        )
        xlsx_stream.sheet_values = lambda ws: ws.iter_rows(values_only=True)  # type: ignore[assignment]
    rows = 0
    try:
        with path.open("rb") as handle:
            for sheet in read_sheets(handle, path.name):
                for _ in sheet.rows:
                    rows += 1
    finally:
        xlsx_stream.open_workbook, xlsx_stream.sheet_values = saved
    return rows


def read_peak(path: Path, reader: str = "disk") -> tuple[int, int]:
    """Rows streamed and the peak of Python allocations while streaming them."""
    tracemalloc.start()
    rows = _stream(path, reader)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, peak


def read_rss(path: Path, reader: str) -> tuple[int, int]:
    """In a fresh process (no Django): the peak RSS (KiB) before and after streaming."""
    out = subprocess.run(  # noqa: S603 - this same script, fixed arguments
        [sys.executable, __file__, "--read-child", str(path), "--reader", reader],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def _peak_rss_kib() -> int:
    """VmHWM: unlike ru_maxrss (kept across exec), it starts afresh in each program."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read_child(path: Path, reader: str) -> None:
    import openpyxl  # noqa: F401 - its import is the baseline, not the reading

    from imports import reading, xlsx_stream  # noqa: F401

    base = _peak_rss_kib()
    _stream(path, reader)
    print(base, _peak_rss_kib())


def child(meetings: int, items: int) -> None:
    """In a fresh process: import a workbook of this size, print the peak RSS (KiB)."""
    user = setup()
    truncate()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        workbook(path, meetings, items)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        elapsed, job = run_import(user, path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": job.total_rows, "seconds": elapsed, "rss_kib": peak, "base": base}))


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--read-child", type=Path)
    parser.add_argument("--reader", default="disk", choices=("disk", "openpyxl"))
    parser.add_argument("--read-only", action="store_true", help="only the memory of reading")
    parser.add_argument("--readers", default="openpyxl,disk", help="readers to measure")
    parser.add_argument("--no-rss", action="store_true", help="skip the whole-import RSS runs")
    # The whole-import RSS runs import 1/rss and 4/rss of the workbook (each in its process).
    parser.add_argument("--rss", type=int, default=4)
    # The streaming-read check uses its own workbook (reading alone is fast at any size).
    parser.add_argument("--read-meetings", type=int, default=1000)
    parser.add_argument("--read-items", type=int, default=10000)
    args = parser.parse_args()
    if args.read_child:
        read_child(args.read_child, args.reader)
        return
    if args.child:
        child(args.meetings, args.items)
        return
    if args.read_only:
        import django

        django.setup()
    else:
        user = setup()
    total = args.meetings + args.items
    with tempfile.TemporaryDirectory() as tmp:
        if not args.read_only:
            path = Path(tmp) / "bench.xlsx"
            workbook(path, args.meetings, args.items)
            print(f"workbook: {total:,} rows, {path.stat().st_size / 1e6:.1f} MB", flush=True)
            truncate()
            print(f"uptime before the import: {uptime()}", flush=True)
            imported, job = run_import(user, path)
            assert job.status == "done", job.errors[:5]
            assert job.created_count == total, (job.created_count, job.errors[:5])
            print(f"import:  {imported:7.1f} s  {total / imported:7.1f} rows/s", flush=True)
            truncate()
            print(f"uptime before the direct run: {uptime()}", flush=True)
            direct = run_direct(user, args.meetings, args.items)
            truncate()
            print(f"direct:  {direct:7.1f} s  {total / direct:7.1f} rows/s (services, one process)")
            print(f"ratio import / direct: {imported / direct:.2f}")
            print(f"uptime after: {uptime()}", flush=True)

        small = Path(tmp) / "read1.xlsx"
        big = Path(tmp) / "read4.xlsx"
        from tests.imports.excel_files import to_shared_strings

        for file, factor in ((small, 1), (big, 4)):
            workbook(file, args.read_meetings * factor, args.read_items * factor)
            # openpyxl writes texts inline in each cell; Excel in the shared strings.
            file.write_bytes(to_shared_strings(file.read_bytes()))
        for label, file in (("1x", small), ("4x", big)):
            for reader in args.readers.split(","):
                rows, peak = read_peak(file, reader)
                base, rss = read_rss(file, reader)
                print(
                    f"streaming read {label} ({reader}): {rows:,} rows, peak"
                    f" {peak / 1e6:.2f} MB (tracemalloc), RSS {base / 1024:.1f} →"
                    f" {rss / 1024:.1f} MiB (+{(rss - base) / 1024:.1f})",
                    flush=True,
                )
    for factor in () if args.read_only or args.no_rss else (1, 4):
        out = (
            subprocess.run(  # noqa: S603 - this same script, fixed arguments
                [
                    sys.executable,
                    __file__,
                    "--child",
                    f"--meetings={args.meetings * factor // args.rss}",
                    f"--items={args.items * factor // args.rss}",
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        result = json.loads(out)
        print(
            f"whole import of {result['rows']:,} rows in its own process: peak RSS "
            f"{result['rss_kib'] / 1024:.0f} MiB (before the import {result['base'] / 1024:.0f})"
        )
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
