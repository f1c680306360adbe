from django.db import models


class ImportKind(models.TextChoices):
    ORGANIZATIONS = "organizations", "سازمان‌ها"
    PEOPLE = "people", "اشخاص"
    MEETINGS = "meetings", "جلسات"
    ACTION_ITEMS = "action-items", "اقدامات"
    AGREEMENTS = "agreements", "تفاهم‌نامه‌ها"
    #: An Excel workbook with one sheet per kind (named as the exports name their sheet),
    #: imported in dependency order so that its rows can refer to each other.
    WORKBOOK = "workbook", "کارپوشه چندبرگی (Excel)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "در صف"
    RUNNING = "running", "در حال اجرا"
    DONE = "done", "انجام شد"
    FAILED = "failed", "ناموفق"


FINISHED = frozenset({ImportStatus.DONE, ImportStatus.FAILED})
