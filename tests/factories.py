"""factory_boy factories shared by the app tests (Member, LostContactCase).

App-specific factories live beside their tests (tests/<app>/factories.py)."""

import itertools
from datetime import date

import factory

from members import idcard
from members.models import Gender, Member, MembershipType
from tracing.models import CaseStatus, LossReason, LostContactCase

_sequence = itertools.count(1)


def next_id_number(birth_date, gender):
    """A fresh valid 身份证号 for the birth date and gender (odd sequence = male)."""
    n = next(_sequence)
    seq = (2 * n + (1 if gender == Gender.MALE else 0)) % 1000
    return idcard.make("610581", birth_date, seq)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    organization = None  # pass a branch: MemberFactory(organization=org("branch_a1"))
    name = factory.Sequence(lambda n: f"党员{n:04d}")
    gender = Gender.MALE
    ethnicity = "汉族"
    birth_date = date(1985, 3, 15)
    joined_on = date(2008, 7, 1)
    membership_type = MembershipType.FULL
    id_number = factory.LazyAttribute(lambda o: next_id_number(o.birth_date, o.gender))
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LostContactCase

    member = factory.SubFactory(MemberFactory)
    organization = factory.LazyAttribute(lambda o: o.member.organization)
    opened_on = date(2026, 6, 1)
    opened_by = None  # pass a user
    lost_since = date(2025, 10, 1)
    reason = LossReason.MIGRANT_WORK
    status = CaseStatus.OPEN


def branch_officer(code="610581001001"):
    """The branch's 组织委员 (seed_base gives every branch one): a second person with decide_branch,
    so the secretary's proposal can be decided by someone else (separation of duties)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=f"zz_{code}")
