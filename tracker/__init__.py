"""The agreement tracker project package: settings, wiring and cross-cutting helpers."""

from .celery import app as celery_app

__all__ = ("celery_app",)
