"""When a search may end as "经多方努力确实无法取得联系", as pure functions.

"经多方努力" is made countable: the branch must have tried at least `minimum` different
channels (LIANXIN_MIN_SEARCH_CHANNELS, 3 by default). An attempt that a later one corrects
(supersedes) no longer counts, and neither do the committee's attempts of its second search,
which comes after the branch has ended its own.
"""

from django.core.exceptions import ValidationError


def counted_channels(attempts) -> set:
    """The distinct channels that count, from (channel, by_committee, superseded_by) per attempt."""
    return {
        channel
        for channel, by_committee, superseded_by in attempts
        if not by_committee and superseded_by is None
    }


def check_enough_channels(tried: set, minimum: int) -> None:
    if len(tried) < minimum:
        raise ValidationError(
            f"须通过至少 {minimum} 种不同渠道查找后，才能认定“经多方努力确实无法取得联系”（目前 {len(tried)} 种）。"
        )
