"""The self-service password change (``/accounts/password/change/``): Django's own views,
in Persian, with the old password checked through django-axes (:class:`AxesPasswordChangeForm`).

What a change ends is not here: the user's API tokens are revoked by the ``password_changed``
hook of ``organizations.passwords`` (any ``set_password()`` + ``save()``), the user's other
sessions end by Django's session hash, and this session stays signed in
(``update_session_auth_hash``, which Django's view calls).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from .forms import AxesPasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = AxesPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> Any:
        response = super().form_valid(form)
        messages.success(
            self.request,
            "گذرواژه تغییر کرد. نشست‌های دیگر شما بسته و توکن‌های API شما باطل شدند.",
        )
        return response
