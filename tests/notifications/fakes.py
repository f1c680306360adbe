"""Test doubles: a planner on a stable model, and SMS providers that record or misbehave.

The planner reminds an API token's owner before the token expires. API tokens belong to the
foundation and have an owner and a time, which is all the reminder engine needs; the engine
tests do not depend on the meetings and agreements models, which have their own tests.

The providers keep their state in files named by environment variables, so a Celery worker
in another process and the test share it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from notifications.channels import TransientDeliveryError
from notifications.choices import RuleCode
from notifications.rules import Planned, RuleConfig

PLANNER = "tests.notifications.fakes.TokenExpiryPlanner"


class TokenExpiryPlanner:
    """Remind the token's owner ``offsets`` hours (the CUSTOM rule) before it expires."""

    model_label = "organizations.apitoken"

    def plan(self, target: Any, *, rules: Mapping[str, RuleConfig], now: datetime) -> list[Planned]:
        cfg = rules[RuleCode.CUSTOM]
        if not cfg.is_active or target.expires_at is None or target.revoked_at is not None:
            return []
        return [
            Planned(
                rule=RuleCode.CUSTOM,
                kind=f"before:{hours}h",
                recipient_id=target.user_id,
                due_at=target.expires_at - timedelta(hours=hours),
                anchor_at=target.expires_at,
                expires_at=target.expires_at,
                title=f"توکن «{target.name}» به‌زودی منقضی می‌شود",
                body="برای ادامه دسترسی داشبورد، توکن تازه بسازید.",
                url="/notifications/",
            )
            for hours in cfg.offsets
        ]


class RecordingSmsProvider:
    """Keeps sent messages in memory (unit tests)."""

    sent: ClassVar[list[dict[str, str]]] = []

    def send(self, *, phone: str, text: str, reference: str) -> None:
        self.sent.append({"phone": phone, "text": text, "reference": reference})


def _log(path: str, record: dict[str, Any]) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_log(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


class FileSmsProvider:
    """Appends each message to ``$NOTIFY_TEST_DIR/sms.log``.

    With ``$NOTIFY_TEST_DIR/block`` present it first writes ``started`` and waits until the
    block file disappears (so a test can kill the worker in the middle of a send). With
    ``$NOTIFY_TEST_DIR/fail`` holding a number N it raises a transient error N times.
    """

    def send(self, *, phone: str, text: str, reference: str) -> None:
        folder = Path(os.environ["NOTIFY_TEST_DIR"])
        _log(str(folder / "attempts.log"), {"reference": reference, "pid": os.getpid()})
        block = folder / "block"
        if block.exists():
            (folder / "started").write_text(str(os.getpid()))
            deadline = time.monotonic() + 60
            while block.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        fail = folder / "fail"
        if fail.exists():
            left = int(fail.read_text() or "0")
            if left > 0:
                fail.write_text(str(left - 1))
                raise TransientDeliveryError(f"gateway busy ({left} failures left)")
        _log(str(folder / "sms.log"), {"phone": phone, "text": text, "reference": reference})
