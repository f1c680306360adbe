"""Choices of the organizations app."""

from django.db import models


class OrganizationKind(models.TextChoices):
    MUNICIPALITY = "municipality", "شهرداری"
    INDUSTRIAL_ESTATE = "industrial_estate", "شهرک صنعتی"
    ESTATES_COMPANY = "estates_company", "شرکت شهرک‌های صنعتی استان"
    GOVERNMENT = "government", "وزارتخانه / دستگاه دولتی"
    OTHER = "other", "سایر"


class Role(models.TextChoices):
    VIEWER = "viewer", "مشاهده‌گر"
    STAFF = "staff", "کارشناس"
    MANAGER = "manager", "مدیر"
    ADMIN = "admin", "مدیر سامانه سازمان"


# Roles add rights, never visibility: a higher rank includes every lower one.
ROLE_RANK: dict[str, int] = {Role.VIEWER: 1, Role.STAFF: 2, Role.MANAGER: 3, Role.ADMIN: 4}
