"""Words on the pages: every blank choice reads 请选择, codes come with their labels, the 统计表
drill-down says which column it lists and leads back, the reveal page's 返回 works."""

import re
from datetime import date

from django.urls import reverse

from members.models import Occupation
from tests.access_matrix import INSIDE
from tests.factories import CaseFactory, MemberFactory
from tests.test_access_matrix import MATRIX

UNTRANSLATED = ("Select an option", "---------")


def test_no_form_shows_an_untranslated_blank_choice(world, client_for):
    """Every page of the access matrix, as each tier that may open it: forms included."""
    forms_seen = 0
    clients = {persona: client_for(persona) for persona in INSIDE}
    pages = {
        name: entry
        for name, entry in MATRIX.items()
        if entry.get_status is None and not re.search(r"(xlsx|pdf|file)$", name)  # no POST-only, no downloads
    }
    for name, entry in sorted(pages.items()):
        kwargs = entry.build(world) if entry.build else None
        url = reverse(name, kwargs=kwargs) + entry.query_for(world)
        for persona, client in clients.items():
            response = client.get(url)
            if not response["Content-Type"].startswith("text/html"):
                continue
            page = response.content.decode()
            forms_seen += page.count("<select")
            for text in UNTRANSLATED:
                assert text not in page, f"{persona} {name}: {text!r}"
    assert forms_seen > 10


def test_a_select_without_a_default_starts_with_please_choose(world, org, client_for):
    page = client_for("branch_a1").get(reverse("members:member_add", args=[org("branch_a1").pk]))
    gender = re.search(r'<select name="gender".*?</select>', page.content.decode(), re.S).group(0)
    assert re.search(r'<option value="" selected>请选择</option>', gender)


def test_codes_are_shown_with_their_labels(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"), occupation=Occupation.COMMUNITY_SEPARATED)
    client = client_for("branch_a1")
    listing = client.get(reverse("members:member_list")).content.decode()
    assert "⑥ 街道社区人户分离人员" in listing
    assert "<td>6</td>" not in listing
    detail = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "⑥ 街道社区人户分离人员" in detail
    unit = client.get(reverse("organization_detail", args=[org("branch_a1").pk])).content.decode()
    assert "⑦ 街道社区" in unit


def test_statistics_drill_down_names_its_column_and_leads_back(world, org, client_for):
    as_of = "2026-11-01"
    # The case is opened half a year before the table's date, not before today (else, from
    # mid-December 2026 on, it would open after the table's date and leave it empty).
    day = date(2026, 11, 1)
    member = MemberFactory(
        organization=org("branch_a1"), name="久未联系", last_contact_on=date(2025, 1, 1), today=day
    )
    CaseFactory(member=member, opened_by=world.users["branch_a1"], today=day)
    client = client_for("committee_a")
    table = client.get(reverse("reports:statistics"), {"org": org("committee_a").pk, "as_of": as_of})
    # The unit row of branch_a1 drills into that branch, and remembers the table it came from.
    link = next(
        url
        for _row, cells in table.context["table"]
        for _title, value, url in cells
        if value
        and f"org={org('branch_a1').pk}&" in url
        and url.endswith(f"col=A&table={org('committee_a').pk}")
    )
    drill = client.get(link).content.decode()
    assert "<h1>超过六个月未与党组织联系的党员总数</h1>" in drill and "久未联系" in drill
    back = f"{reverse('reports:statistics')}?org={org('committee_a').pk}&amp;as_of={as_of}"
    assert f'href="{back}"' in drill
    subtotal = client.get(
        reverse("reports:statistics_members"), {"org": org("committee_a").pk, "as_of": as_of, "col": "P"}
    ).content.decode()
    assert "<h1>目前仍未取得联系的党员 · 给予组织处置出党人数</h1>" in subtotal


def test_reveal_page_links_back_to_the_page_it_came_from(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"), phone="13912345678")
    client = client_for("branch_a1")
    detail_url = reverse("members:member_detail", args=[member.pk])
    detail = client.get(detail_url).content.decode()
    # The page posts the field the view reads.
    assert f'name="back" value="{detail_url}"' in detail
    revealed = client.post(
        reverse("reveal_value", args=["members.member", member.pk, "phone"]), {"back": detail_url}
    ).content.decode()
    assert "13912345678" in revealed and f'<a href="{detail_url}">返回</a>' in revealed
