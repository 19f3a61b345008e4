"""The three-channel rule (tracing/rules.py): a search ends as "经多方努力确实无法取得联系" only
after at least LIANXIN_MIN_SEARCH_CHANNELS (3) different channels; corrected (superseded)
attempts and the committee's second-search attempts do not count."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import MemberFactory
from tracing import rules, services
from tracing.models import CaseStatus, Channel

# ---- the rule as functions ------------------------------------------------------------------


def test_distinct_channels_of_the_branch_count_once_each():
    attempts = [
        ("phone", False, None),
        ("phone", False, None),
        ("wechat", False, None),
    ]
    assert rules.counted_channels(attempts) == {"phone", "wechat"}


def test_a_superseded_attempt_does_not_count():
    assert rules.counted_channels([("phone", False, 7), ("wechat", False, None)]) == {"wechat"}


def test_the_committees_attempts_do_not_count():
    assert rules.counted_channels([("police", True, None), ("wechat", False, None)]) == {"wechat"}
    assert rules.counted_channels([("police", True, 7)]) == set()


def test_no_attempts_no_channels():
    assert rules.counted_channels([]) == set()


@pytest.mark.parametrize(("tried", "minimum"), [(3, 3), (4, 3), (1, 1), (0, 0), (5, 5)])
def test_enough_channels(tried, minimum):
    rules.check_enough_channels({f"c{i}" for i in range(tried)}, minimum)


@pytest.mark.parametrize(("tried", "minimum"), [(2, 3), (0, 3), (0, 1), (4, 5)])
def test_too_few_channels(tried, minimum):
    with pytest.raises(ValidationError) as err:
        rules.check_enough_channels({f"c{i}" for i in range(tried)}, minimum)
    assert err.value.messages == [
        f"须通过至少 {minimum} 种不同渠道查找后，才能认定“经多方努力确实无法取得联系”（目前 {tried} 种）。"
    ]


# ---- through the service ----------------------------------------------------------------------


@pytest.fixture
def case(world, org):
    member = MemberFactory(
        organization=org("branch_a1"), last_contact_on=timezone.localdate() - timedelta(days=300)
    )
    case = services.case_open(member=member, acting_user=world.users["branch_a1"], reason=1)
    case.findings = "走访邻居，多年未见本人"
    case.save()
    return case


def _attempt(case, user, channel, **kw):
    return services.attempt_log(
        case=case, acting_user=user, channel=channel, process="查找过程", result="no_trace", **kw
    )


def _close(case, user):
    return services.case_close(case=case, acting_user=user, outcome=CaseStatus.UNREACHABLE)


def test_three_different_channels_close_two_do_not(world, case):
    user = world.users["branch_a1"]
    _attempt(case, user, Channel.PHONE)
    _attempt(case, user, Channel.PHONE)
    _attempt(case, user, Channel.WECHAT)
    with pytest.raises(ValidationError, match="至少 3 种不同渠道.*目前 2 种"):
        _close(case, user)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    _attempt(case, user, Channel.RELATIVES)
    _close(case, user)
    case.refresh_from_db()
    assert case.status == CaseStatus.UNREACHABLE


def test_a_corrected_attempt_counts_only_in_its_corrected_form(world, case):
    user = world.users["branch_a1"]
    _attempt(case, user, Channel.PHONE)
    wrong = _attempt(case, user, Channel.POLICE)
    _attempt(case, user, Channel.WECHAT, supersedes=wrong, correction_reason="实为微信联系")
    assert services.channels_tried(case) == {Channel.PHONE, Channel.WECHAT}
    with pytest.raises(ValidationError, match="目前 2 种"):
        _close(case, user)


def test_the_committees_second_search_does_not_count_for_the_branch(world, case):
    user = world.users["branch_a1"]
    for channel in (Channel.PHONE, Channel.WECHAT, Channel.RELATIVES):
        _attempt(case, user, channel)
    _close(case, user)
    _attempt(case, world.users["committee_a"], Channel.POLICE, by_committee=True)
    assert services.channels_tried(case) == {Channel.PHONE, Channel.WECHAT, Channel.RELATIVES}


def test_the_minimum_comes_from_the_settings(world, case, settings):
    settings.LIANXIN = {**settings.LIANXIN, "MIN_SEARCH_CHANNELS": 2}
    user = world.users["branch_a1"]
    _attempt(case, user, Channel.PHONE)
    with pytest.raises(ValidationError, match="至少 2 种不同渠道.*目前 1 种"):
        _close(case, user)
    _attempt(case, user, Channel.HOME_VISIT)
    _close(case, user)
    case.refresh_from_db()
    assert case.status == CaseStatus.UNREACHABLE
