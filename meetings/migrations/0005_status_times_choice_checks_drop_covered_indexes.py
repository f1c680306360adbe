"""Statuses checked by the database; a meeting's cancel and approval times tied to them.

Before the constraints, rows written outside the services are brought in line: a cancelled
or approved meeting without its time gets its last edit time (the best record of when it
happened), and a time left on a meeting of another status is cleared (neither status is
ever left, so such a time is a stray value). Statuses and kinds outside the choices are not
guessed at: the migration stops on them, naming the constraint.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def align_status_times(apps, schema_editor):
    meeting = apps.get_model("meetings", "Meeting")
    for status, stamp in (
        ("cancelled", "cancelled_at"),
        ("minutes_approved", "minutes_approved_at"),
    ):
        meeting.objects.filter(status=status, **{f"{stamp}__isnull": True}).update(
            **{stamp: models.F("updated_at")}
        )
        meeting.objects.exclude(status=status).filter(**{f"{stamp}__isnull": False}).update(
            **{stamp: None}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_choice_checks_drop_covered_indexes"),
        ("meetings", "0004_upcoming_indexes"),
        ("organizations", "0003_name_unique_per_parent_choice_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(align_status_times, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agendaitem",
            name="meeting",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="agenda_items",
                to="meetings.meeting",
                verbose_name="جلسه",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="meeting",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="meetings.meeting",
                verbose_name="جلسه",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="start",
            field=models.DateTimeField(verbose_name="شروع"),
        ),
        migrations.AddConstraint(
            model_name="actionitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["open", "done", "cancelled"])),
                name="actionitem_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["chair", "secretary", "member", "guest"])),
                name="attendance_role_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["invited", "present", "absent"])),
                name="attendance_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["coordination", "negotiation", "signing", "follow_up", "other"])
                ),
                name="meeting_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["planned", "held", "minutes_approved", "cancelled"])
                ),
                name="meeting_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), ("cancelled_at__isnull", False)),
                    models.Q(
                        models.Q(("status", "cancelled"), _negated=True),
                        ("cancelled_at__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="meeting_cancelled_at_iff_cancelled",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("status", "minutes_approved"), ("minutes_approved_at__isnull", False)
                    ),
                    models.Q(
                        models.Q(("status", "minutes_approved"), _negated=True),
                        ("minutes_approved_at__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="meeting_minutes_approved_at_iff_approved",
            ),
        ),
        migrations.AddConstraint(
            model_name="meetingevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "logged",
                            "updated",
                            "held",
                            "cancelled",
                            "minutes_approved",
                            "addendum",
                            "agreement_linked",
                            "action_created",
                            "action_completed",
                            "action_reassigned",
                            "action_cancelled",
                        ],
                    )
                ),
                name="meetingevent_kind_valid",
            ),
        ),
    ]
