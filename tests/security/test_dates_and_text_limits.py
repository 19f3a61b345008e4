"""Issue 14, item 6: impossible or absurd dates and unbounded text. Every date from a query string or
a form goes through one parser with a sane range (not before 1921, not far in the future) and
answers a Chinese error, never a 500; narrative fields have limits fitted to the paper form,
enforced in the forms, the importer and the model."""

import importlib
import pkgutil
from datetime import UTC, date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.importing.service import import_file
from members.models import Gender, Member
from tests.factories import CaseFactory, MemberFactory, next_id_number
from tracing import services as tracing_services
from tracing.forms import AttemptForm, CaseEditForm
from tracing.models import LostContactCase, SearchAttempt

BAD_DATES = ["2026-02-30", "2026-13-01", "0001-01-01", "1920-12-31", "9999-12-31", "2026-1-1x", "昨天"]
REPORT_PAGES = [
    "statistics",
    "statistics_xlsx",
    "statistics_members",
    "roster_xlsx",
    "register_xlsx",
    "submission_status",
]


@pytest.mark.parametrize("as_of", BAD_DATES)
@pytest.mark.parametrize("page", REPORT_PAGES)
def test_report_endpoints_answer_a_chinese_error_for_an_impossible_date(world, org, client_for, page, as_of):
    response = client_for("committee_a").get(
        reverse(f"reports:{page}"), {"org": org("committee_a").pk, "as_of": as_of}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "日期" in body and as_of in body


@pytest.mark.parametrize("as_of", ["2026-02-30", "0001-01-01"])
def test_submitting_with_an_impossible_date_writes_nothing(world, org, client_for, as_of):
    from reports.models import Submission

    response = client_for("branch_a1").post(
        f"{reverse('reports:submission_submit')}?org={org('branch_a1').pk}&as_of={as_of}"
    )
    assert response.status_code == 400 and not Submission.objects.exists()


def test_a_good_date_and_no_date_still_work(world, org, client_for):
    client = client_for("committee_a")
    for params in ({"as_of": "2026-11-01"}, {}, {"as_of": ""}):
        response = client.get(reverse("reports:statistics"), {"org": org("committee_a").pk, **params})
        assert response.status_code == 200


def test_export_commands_refuse_an_impossible_date(world, tmp_path):
    for bad in ("2026-02-30", "0001-01-01"):
        with pytest.raises(CommandError, match="日期"):
            call_command("export_roster", "--output", str(tmp_path / "r.xlsx"), "--as-of", bad)


def attempt_data(**overrides):
    return {
        "searched_at": "2026-11-20T10:00",
        "channel": "phone",
        "process": "电话无人接听",
        "result": "no_trace",
    } | overrides


@pytest.mark.parametrize(
    "when", ["0001-01-01T10:00", "0001-01-01T05:00", "1900-05-04T08:00", "2199-01-01T10:00"]
)
def test_a_search_attempt_outside_the_sane_range_is_refused(when):
    form = AttemptForm(data=attempt_data(searched_at=when))
    assert not form.is_valid() and form.errors["searched_at"]
    assert any(("1921" in e or "晚于" in e) for e in form.errors["searched_at"])


@pytest.mark.parametrize("when", ["明天", "2026-02-30T10:00", "2026/11/20 10:00", "10:00"])
def test_an_unreadable_attempt_time_is_a_form_error(when):
    form = AttemptForm(data=attempt_data(searched_at=when))
    assert not form.is_valid() and form.errors["searched_at"]


def test_the_other_input_formats_still_work():
    form = AttemptForm(data=attempt_data(searched_at="2026-11-20"))
    assert form.is_valid(), form.errors


def test_the_attempt_service_and_model_refuse_year_one(world, org):
    case = CaseFactory(
        member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
    )
    with pytest.raises(ValidationError):
        tracing_services.attempt_log(
            case=case,
            acting_user=world.users["branch_a1"],
            channel="phone",
            process="x",
            result="no_trace",
            searched_at=datetime(1, 1, 1, 12, tzinfo=UTC),
        )
    assert not SearchAttempt.objects.exists()


def our_form_classes():
    for app in ("lianxin", "members", "tracing", "disposition", "reports"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [
        cls
        for cls in seen
        if cls.__module__.split(".")[0] in ("lianxin", "members", "tracing", "disposition", "reports")
    ]


def test_every_date_field_of_every_form_has_the_sane_range():
    from lianxin import dates

    checked = []
    for cls in our_form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                assert isinstance(field, dates.DateField | dates.DateTimeField), f"{cls.__name__}.{name}"
                checked.append(f"{cls.__name__}.{name}")
    assert {
        "MemberForm.birth_date",
        "AttemptForm.searched_at",
        "CensusForm.ends_on",
        "ProposeForm.correction_until",
    } <= set(checked)


@pytest.mark.parametrize(
    ("form_path", "field", "value"),
    [
        ("members.forms.MemberForm", "joined_on", "1920-06-30"),
        ("members.forms.MemberForm", "birth_date", "1899-12-31"),
        ("members.forms.AbsenceForm", "expected_return", "2199-01-01"),
        ("members.forms.ReturnForm", "returned_on", "0001-01-01"),
        ("tracing.views.CensusForm", "ends_on", "0001-01-01"),
        ("tracing.forms.CloseForm", "closed_on", "0001-01-01"),
        ("disposition.forms.ProposeForm", "correction_until", "2199-01-01"),
        ("disposition.forms.ExpulsionForm", "decided_on", "1900-01-01"),
    ],
)
def test_form_dates_outside_the_range_get_a_chinese_error(world, form_path, field, value):
    module, name = form_path.rsplit(".", 1)
    form = getattr(importlib.import_module(module), name)(data={field: value})
    form.is_valid()
    assert field in form.errors and any(("早于" in e or "晚于" in e) for e in form.errors[field])


# ---- narrative fields ------------------------------------------------------------------------------


def test_findings_are_limited_in_the_form(world):
    for text in ("查" * 1001, "查" * 800_000):  # 800,000 characters: the 2.4 MB that took 21 s to print
        form = CaseEditForm(data={"reason": 1, "findings": text})
        assert not form.is_valid() and "1000" in " ".join(form.errors["findings"])
    assert CaseEditForm(data={"reason": 1, "findings": "查" * 1000}).is_valid()


def test_findings_are_limited_in_the_service_and_the_model(world, org):
    case = CaseFactory(
        member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
    )
    with pytest.raises(ValidationError):
        tracing_services.case_update(
            case=case, acting_user=world.users["branch_a1"], reason=1, reason_remark="", findings="查" * 1001
        )
    case.findings = "查" * 5000
    with pytest.raises(ValidationError, match="1000"):
        case.save()  # whatever path writes it
    case.refresh_from_db()
    assert LostContactCase.objects.get(pk=case.pk).findings == ""


def test_every_narrative_field_has_a_limit():
    from disposition.models import Disposition, DispositionStep
    from members.models import Transfer
    from tracing.models import AssistanceRequest

    for model, name in [
        (LostContactCase, "findings"),
        (LostContactCase, "closing_evidence"),
        (LostContactCase, "second_search_findings"),
        (SearchAttempt, "process"),
        (AssistanceRequest, "request_text"),
        (AssistanceRequest, "answer_text"),
        (Disposition, "proposal"),
        (DispositionStep, "opinion"),
        (Transfer, "talk_record"),
    ]:
        field = model._meta.get_field(name)
        assert field.max_length and field.max_length <= 2000, f"{model.__name__}.{name}"
        with pytest.raises(ValidationError):
            field.clean("字" * (field.max_length + 1), None)


def test_the_decide_form_limits_the_opinion():
    from disposition.forms import DecideForm

    form = DecideForm(data={"decision": "agree", "opinion": "同" * 2000, "confirm": "on"})
    assert not form.is_valid() and "opinion" in form.errors


def _csv_import(world, tmp_path, **fields):
    row = {"姓名": "张三", "性别": "男", "出生年月": "1985.03", "入党时间": "2008.07"} | fields
    row["身份证号"] = next_id_number(date(1985, 3, 15), Gender.MALE)
    path = tmp_path / "roster.csv"
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    return import_file(
        path=path, filename="roster.csv", org=world.orgs["610581001001"], acting_user=world.users["branch_a1"]
    )


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("姓名", "张" * 51, "50"),
        ("工作单位", "厂" * 201, "200"),
        ("居住地", "村" * 201, "200"),
        ("入党时间", "1920.06", "1921"),
        ("最近联系日期", "0001-01-01", "1921"),
    ],
)
def test_the_importer_refuses_what_the_forms_refuse(world, tmp_path, column, value, reason):
    report = _csv_import(world, tmp_path, **{column: value})
    assert not report.written and Member.objects.count() == 0
    assert any(e.column == column and reason in e.reason for e in report.errors), report.errors
