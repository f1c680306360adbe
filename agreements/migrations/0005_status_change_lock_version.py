"""One audit record per purpose: a status move is its AgreementStatusChange only.

1. Each status change gets the agreement's ``lock_version`` right after the move (the
   anchor of the party window's field history), read from the history row the move
   wrote: the first row of that agreement whose status and status time are the move's
   (a creation row for the first change). A change with no such row (seeded data, rows
   written outside the services) takes the lock version of the newest history row
   saved before it, else 1.
2. The history rows the moves wrote (a ``~`` row whose status differs from the row
   before it and that matched a change in step 1) are deleted: the change row holds the
   same audit (from, to, who, when, and the reason the history row lacked), and a move
   changes no other field, so no field edit is lost.
3. The status columns leave the history table (field history only from now on).

Reversing restores the columns (empty: the moves stay in the change rows) and the field.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import migrations, models

BATCH = 1000


def anchor_and_deduplicate(apps: Any, schema_editor: Any) -> None:
    change_model = apps.get_model("agreements", "AgreementStatusChange")
    history_model = apps.get_model("agreements", "HistoricalAgreement")
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = history_model.objects.order_by("id", "history_date", "history_id").values(
        "id",
        "history_id",
        "history_type",
        "history_date",
        "status",
        "status_changed_at",
        "lock_version",
    )
    for row in rows.iterator(chunk_size=BATCH):
        history[row["id"]].append(row)
    duplicates: list[int] = []
    pending: list[Any] = []
    changes = change_model.objects.order_by("agreement_id", "at", "id").only(
        "id", "agreement_id", "at", "to_status"
    )
    for change in changes.iterator(chunk_size=BATCH):
        records = history.get(change.agreement_id, [])
        match = None
        for index, record in enumerate(records):
            if record["status"] == change.to_status and record["status_changed_at"] == change.at:
                match = (index, record)
                break
        if match is not None:
            index, record = match
            change.lock_version = record["lock_version"]
            before = records[index - 1] if index else None
            if record["history_type"] == "~" and before and before["status"] != record["status"]:
                duplicates.append(record["history_id"])
        else:
            earlier = [r["lock_version"] for r in records if r["history_date"] <= change.at]
            change.lock_version = earlier[-1] if earlier else 1
        pending.append(change)
        if len(pending) >= BATCH:
            change_model.objects.bulk_update(pending, ["lock_version"])
            pending = []
    if pending:
        change_model.objects.bulk_update(pending, ["lock_version"])
    for start in range(0, len(duplicates), BATCH):
        history_model.objects.filter(history_id__in=duplicates[start : start + BATCH]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_choice_checks_drop_covered_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreementstatuschange",
            name="lock_version",
            field=models.PositiveIntegerField(null=True, verbose_name="نسخه قفل پس از تغییر"),
        ),
        migrations.RunPython(anchor_and_deduplicate, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="agreementstatuschange",
            name="lock_version",
            field=models.PositiveIntegerField(verbose_name="نسخه قفل پس از تغییر"),
        ),
        migrations.RemoveField(
            model_name="historicalagreement",
            name="status",
        ),
        migrations.RemoveField(
            model_name="historicalagreement",
            name="status_changed_at",
        ),
    ]
