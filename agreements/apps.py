from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "تفاهم‌نامه‌ها"

    def ready(self) -> None:
        # Register the tasks in every process, not only in workers (which autodiscover them
        # at start): the old notifications task name and the beat entry reach
        # expire_due_agreements by name only.
        from attachments.registry import register as register_attachable

        from . import tasks  # noqa: F401
        from .models import Agreement, AgreementParty
        from .selectors import agreement_list_for_user

        # Annexes, drafts from the other party: seen by whoever sees the agreement, written
        # by the staff of its owner and of its parties.
        register_attachable(
            slug="agreements",
            model=Agreement,
            label="تفاهم‌نامه",
            visible=lambda user: agreement_list_for_user(user=user),
            writer_organization_ids=lambda agreement: [
                agreement.owning_organization_id,
                *AgreementParty.objects.filter(agreement=agreement).values_list(
                    "organization_id", flat=True
                ),
            ],
        )
