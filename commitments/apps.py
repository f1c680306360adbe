from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = "تعهدات"

    def ready(self) -> None:
        # The notifications app (a lower layer) finds the reminder planners of commitments
        # through its registry; the tasks are registered in every process for the beat.
        from agreements.views import register_section
        from notifications.rules import register_planner

        from . import tasks  # noqa: F401
        from .evidence import register_commitments
        from .in_force import AgreementWithInForcePlanner
        from .reminders import CommitmentPlanner, OccurrencePlanner
        from .views import agreement_section

        register_planner(OccurrencePlanner())
        register_planner(CommitmentPlanner())
        register_planner(AgreementWithInForcePlanner())
        register_section(agreement_section)
        register_commitments()
