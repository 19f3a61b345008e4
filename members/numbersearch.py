"""Finding a member by 身份证号 or phone number: the whole number only, by POST, and recorded.

A prefix search let anyone in scope recover a full number digit by digit, and a GET put the
number in the address bar, the browser history and the server's access log. Here the number
travels in a POST body, must be complete (an 18-character 身份证号, or a phone number of 7 to
15 digits), matches exactly, and every such search writes a Disclosure — found or not, since a
run of misses is what probing looks like to the levels above.
"""

import re
import unicodedata

from django import forms
from django.shortcuts import render

from lianxin import access
from lianxin.disclosure import disclosure_record
from lianxin.masking import mask_id_number, mask_phone
from lianxin.models import Disclosure, Organization
from members.models import Member

ID_NUMBER = re.compile(r"^\d{17}[\dX]$", re.ASCII)
SEPARATORS = re.compile(r"[\s\-()（）]")
MOBILE = re.compile(r"^1\d{10}$", re.ASCII)
# Complete numbers only: a mobile (11 digits), a landline with its area code (0…, 10-12 digits)
# or without (7-8 digits, not starting with 0 or 1), or a foreign number after + (7-15 digits).
NATIONAL_PHONE = re.compile(r"^(1\d{10}|0\d{9,11}|[2-9]\d{6,7})$", re.ASCII)
FOREIGN_PHONE = re.compile(r"^\+\d{7,15}$", re.ASCII)
LIMIT = 50  # one number belongs to one member, or to a family sharing a phone


def classify(text):
    """("id_number", "…X") or ("phone", national digits) for a complete number, else None."""
    value = SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "")).upper()  # full-width digits too
    if ID_NUMBER.match(value):
        return "id_number", value
    for country in ("+86", "0086", "86"):  # the country code in front of a Chinese number
        if value.startswith(country) and NATIONAL_PHONE.match(value[len(country) :]):
            return "phone", value[len(country) :]
    if NATIONAL_PHONE.match(value):
        return "phone", value
    if FOREIGN_PHONE.match(value):
        return "phone", value
    return None


def phone_variants(national):
    """The ways the same number is stored (typed by hand over the years, or imported)."""
    if national.startswith("+"):  # a foreign number
        return {national, "00" + national[1:]}
    variants = {national, f"+86{national}", f"86{national}", f"0086{national}", f"+86 {national}"}
    if MOBILE.match(national):
        variants |= {
            f"{national[:3]} {national[3:7]} {national[7:]}",
            f"{national[:3]}-{national[3:7]}-{national[7:]}",
        }
    elif national.startswith("0"):  # a landline with its area code: 029-…, 0917-…
        for split in (3, 4):
            variants |= {f"{national[:split]}-{national[split:]}", f"{national[:split]} {national[split:]}"}
    return variants


class NumberSearchForm(forms.Form):
    number = forms.CharField(
        label="身份证号或电话号码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text="只按完整号码查找；每次查找都会记录，上级党组织可查阅。",
    )

    def clean_number(self):
        found = classify(self.cleaned_data["number"])
        if found is None:
            raise forms.ValidationError(
                "请输入完整的18位身份证号，或完整的电话号码（不支持按号码的一部分查找）。"
            )
        return found


def _search_scope_organization(user):
    """Where a search that found nobody is recorded: the outermost unit the user searched."""
    if access.is_unrestricted(user):
        return Organization.objects.order_by("depth", "path").first()
    paths = access.granted_paths(user, access.VIEW)
    return Organization.objects.filter(path__in=paths).order_by("depth", "path").first()


def record_number_search(*, user, field, number, members):
    label = Member._meta.get_field(field).verbose_name
    for member in members:
        disclosure_record(
            user=user,
            organization=member.organization,
            kind=Disclosure.Kind.NUMBER_SEARCH,
            subject=member.name,
            subject_key=f"members.member:{member.pk}",
            fields=[label],
        )
    if members:
        return
    organization = _search_scope_organization(user)
    if organization is not None:  # a user without any scope searched nothing
        masked = mask_id_number(number) if field == "id_number" else mask_phone(number)
        disclosure_record(
            user=user,
            organization=organization,
            kind=Disclosure.Kind.NUMBER_SEARCH,
            subject=f"未找到：{masked}",
            fields=[label],
            count=0,
        )


def find_by_number(user, field, number):
    members = access.scoped(user, access.VIEW, Member.objects.select_related("organization"))
    if field == "id_number":
        members = members.filter(id_number=number)
    else:
        members = members.filter(phone__in=sorted(phone_variants(number)))
    return list(members.order_by("organization__path", "name", "pk")[:LIMIT])


def member_number_search(request):
    form = NumberSearchForm(request.POST or None)
    members = None
    if request.method == "POST" and form.is_valid():
        field, number = form.cleaned_data["number"]
        members = find_by_number(request.user, field, number)
        record_number_search(user=request.user, field=field, number=number, members=members)
        form = NumberSearchForm()  # the number is not written back into the page
    return render(request, "members/number_search.html", {"form": form, "members": members})
