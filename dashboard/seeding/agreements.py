"""Seeded agreements: a status history walked along the declared workflow, parties,
versions and approvals."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta
from typing import Any

from agreements.choices import AgreementStatus as S
from agreements.choices import PartyRole
from agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatusChange,
    AgreementVersion,
)
from agreements.workflow import TRANSITIONS, outgoing
from tracker.text import normalize

from .common import TOPICS, SeedCounts, bulk, tehran_at
from .organizations import Orgs

#: The statuses an agreement rests in at scale 1, weighted roughly like a real portfolio.
FINAL_WEIGHTS: dict[str, int] = {
    S.DRAFT: 10,
    S.INTERNAL_REVIEW: 8,
    S.LEGAL_REVIEW: 8,
    S.NEGOTIATION: 12,
    S.APPROVED: 6,
    S.SIGNED: 6,
    S.IN_FORCE: 25,
    S.EXPIRED: 10,
    S.WITHDRAWN: 8,
    S.TERMINATED: 7,
}
_MAIN_PATH = (
    S.DRAFT,
    S.INTERNAL_REVIEW,
    S.LEGAL_REVIEW,
    S.NEGOTIATION,
    S.APPROVED,
    S.SIGNED,
    S.IN_FORCE,
    S.EXPIRED,
)


def _walk(rng: random.Random, final: str) -> list[str]:
    """A path of workflow states from draft to ``final``, every step a declared transition."""
    path: list[str]
    if final in _MAIN_PATH:
        path = list(_MAIN_PATH[: _MAIN_PATH.index(final) + 1])
    else:  # an exit: walk the main path to a state that may leave that way, then leave
        sources = [t.source for t in _all_into(final)]
        stop = rng.choice(sources)
        path = [*_MAIN_PATH[: _MAIN_PATH.index(stop) + 1], final]
    # Sometimes a review sends the text back to draft once (a declared back-edge).
    reviews = [i for i, s in enumerate(path) if s in (S.INTERNAL_REVIEW, S.LEGAL_REVIEW)]
    if reviews and rng.random() < 0.2:
        i = rng.choice(reviews)
        path = [
            *path[: i + 1],
            S.DRAFT,
            *_MAIN_PATH[1 : _MAIN_PATH.index(path[i]) + 1],
            *path[i + 1 :],
        ]
    for a, b in itertools.pairwise(path):
        assert any(t.target == b for t in outgoing(a)), (a, b)  # noqa: S101
    return path


def _all_into(target: str) -> list[Any]:
    return [t for t in TRANSITIONS if t.target == target]


def seed_agreements(
    rng: random.Random,
    scale: float,
    today: date,
    orgs: Orgs,
    user: Any,
    counts: SeedCounts,
) -> list[Agreement]:
    n = max(20, round(2000 * scale))
    finals = list(FINAL_WEIGHTS)
    weights = list(FINAL_WEIGHTS.values())
    agreements: list[Agreement] = []
    paths: list[list[str]] = []
    starts: list[list[datetime]] = []
    for i in range(n):
        owner = rng.choice(orgs.hosts)
        path = _walk(rng, rng.choices(finals, weights=weights)[0])
        # Each step after the first takes 5–40 days; the whole walk ends before today.
        offsets = [0]
        for _ in path[1:]:
            offsets.append(offsets[-1] + rng.randint(5, 40))
        start = tehran_at(today - timedelta(days=offsets[-1] + rng.randint(1, 60)), 10)
        times = [start + timedelta(days=d) for d in offsets]
        last = times[-1]
        signed = effective = expiry = None
        if S.SIGNED in path:
            signed = times[path.index(S.SIGNED)].date()
            effective = signed + timedelta(days=rng.randint(0, 5))
            if S.IN_FORCE in path:
                effective = times[path.index(S.IN_FORCE)].date()
            if path[-1] == S.EXPIRED:
                expiry = last.date() - timedelta(days=1)
            else:
                expiry = max(effective, today) + timedelta(days=rng.randint(30, 700))
        number = f"ت/{1400 + i % 5}/{i + 1:05d}"
        agreements.append(
            Agreement(
                owning_organization=owner,
                reference_number=number,
                reference_key=normalize(number),
                title=f"تفاهم‌نامه {rng.choice(TOPICS)}",
                subject=f"همکاری {owner.name} با شهرک‌های صنعتی",
                status=path[-1],
                status_changed_at=last,
                lock_version=len(path),
                review_deadline=(start + timedelta(days=30)).date(),
                target_signing_date=(start + timedelta(days=rng.randint(60, 200))).date(),
                signed_date=signed,
                signed_scan="agreements/signed/seed.pdf" if signed else "",
                effective_date=effective,
                expiry_date=expiry,
                notice_period_days=rng.choice((None, 30, 60)),
                created_by=user,
            )
        )
        paths.append(path)
        starts.append(times)
    agreements = bulk(Agreement, agreements, counts)

    changes: list[AgreementStatusChange] = []
    parties: list[AgreementParty] = []
    versions: list[AgreementVersion] = []
    for a, path, times in zip(agreements, paths, starts, strict=True):
        start = times[0]
        prev = ""
        for k, (state, at) in enumerate(zip(path, times, strict=True)):
            reason = "اصلاح متن" if state == S.DRAFT and k else ""
            if state in (S.WITHDRAWN, S.TERMINATED):
                reason = "توافق طرفین"
            changes.append(
                AgreementStatusChange(
                    agreement=a,
                    from_status=prev,
                    to_status=state,
                    actor=None if state == S.EXPIRED else user,
                    at=at,
                    reason=reason,
                    # One lock version per move, as agreement_transition bumps it.
                    lock_version=k + 1,
                )
            )
            prev = state
        second = rng.choice(
            [o for o in orgs.estates + orgs.companies if o.pk != a.owning_organization_id]
        )
        parties.append(
            AgreementParty(
                agreement=a, organization_id=a.owning_organization_id, role=PartyRole.FIRST_PARTY
            )
        )
        parties.append(
            AgreementParty(agreement=a, organization=second, role=PartyRole.SECOND_PARTY)
        )
        if rng.random() < 0.3:
            witness = rng.choice(orgs.others + orgs.companies)
            if witness.pk not in (a.owning_organization_id, second.pk):
                parties.append(
                    AgreementParty(agreement=a, organization=witness, role=PartyRole.WITNESS)
                )
        n_versions = rng.choice((2, 3))
        for v in range(1, n_versions + 1):
            versions.append(
                AgreementVersion(
                    agreement=a,
                    number=v,
                    text=f"ماده ۱ - موضوع: {a.title}.\nماده ۲ - تعهدات طرفین (نسخه {v}).",
                    change_note="" if v == 1 else "اصلاحات پس از بررسی",
                    is_current=v == n_versions,
                    author=user,
                    created_at=start + timedelta(days=v),
                )
            )
    bulk(AgreementStatusChange, changes, counts)
    parties = bulk(AgreementParty, parties, counts)
    versions = bulk(AgreementVersion, versions, counts)

    current = {v.agreement_id: v for v in versions if v.is_current}
    approved_states = {S.APPROVED, S.SIGNED, S.IN_FORCE, S.EXPIRED, S.TERMINATED}
    statuses = {a.pk: (a.status, p) for a, p in zip(agreements, paths, strict=True)}
    approvals = [
        AgreementApproval(
            party=party,
            version=current[party.agreement_id],
            approved_by=user,
            approved_at=current[party.agreement_id].created_at + timedelta(days=1),
        )
        for party in parties
        if (approved_states & set(statuses[party.agreement_id][1]))
    ]
    bulk(AgreementApproval, approvals, counts)
    return agreements
