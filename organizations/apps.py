from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "سازمان‌ها و اشخاص"

    def ready(self) -> None:
        # The log lines name the user's organisations (tracker/logging.py, a lower layer).
        from tracker.logging import register_organizations_provider

        from .scoping import user_organization_ids

        register_organizations_provider(user_organization_ids)
