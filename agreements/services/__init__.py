"""Writes of agreements. Each is one transaction and takes ``actor`` (``None``: the system).

A package along the seams of the former ``services.py``: ``common`` (fields, checks, the
row lock, the status audit row), ``agreements`` (create, update), ``transitions`` (the
guarded move and the time-driven ones), ``parties`` and ``versions`` (text and approvals).
Callers import from here.
"""

from ..choices import FINAL_STATUSES
from .agreements import agreement_create, agreement_update
from .common import DATE_FIELDS, EDITABLE_FIELDS, TEXT_STATUSES
from .parties import agreement_party_add, agreement_party_change, agreement_party_remove
from .transitions import agreement_transition, agreements_expire_due, agreements_put_in_force_due
from .versions import agreement_approve, agreement_version_create

__all__ = [
    "DATE_FIELDS",
    "EDITABLE_FIELDS",
    "FINAL_STATUSES",
    "TEXT_STATUSES",
    "agreement_approve",
    "agreement_create",
    "agreement_party_add",
    "agreement_party_change",
    "agreement_party_remove",
    "agreement_transition",
    "agreement_update",
    "agreement_version_create",
    "agreements_expire_due",
    "agreements_put_in_force_due",
]
