"""Demo data: the default rules as admin-editable rows, and reminders for the demo targets."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from . import services
from .models import ReminderRule
from .rules import DEFAULT_RULES


@transaction.atomic
def load() -> None:
    """Idempotent: rules are created once; refresh plans only what is missing."""
    for code, cfg in DEFAULT_RULES.items():
        ReminderRule.objects.get_or_create(
            code=code,
            defaults={
                "offsets": list(cfg.offsets),
                "escalate_after_days": cfg.escalate_after_days,
                "state_limits": dict(cfg.state_limits),
                "send_hour": cfg.send_hour,
            },
        )
    for label in ("meetings.Meeting", "meetings.ActionItem", "agreements.Agreement"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for target in model._default_manager.all():
            services.reminders_refresh(target=target)
