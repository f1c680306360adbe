"""django-axes under a Persian name in the admin («محافظت ورود» instead of «AXES»), without
touching the package: INSTALLED_APPS names this config instead of ``"axes"``.

Its models' Persian names come from the project's own catalogue (``locale/fa``, which
comes before the packages' own): a ``verbose_name`` set on the models would be a change
to axes' migrations.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "محافظت ورود"
