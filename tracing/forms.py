from datetime import timedelta

from django import forms
from django.utils import timezone

from lianxin import dates
from lianxin.textlimits import BOX, LOG_ROW, NOTE
from members.models import RECORDED_KINDS
from tracing.models import AttemptResult, CaseStatus, Channel, LossReason
from tracing.queries import LostBand

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenCaseForm(forms.Form):
    reason = forms.TypedChoiceField(label="失去联系情形", choices=LossReason.choices, coerce=int)
    reason_remark = forms.CharField(
        label="备注", required=False, max_length=500, help_text="情形为“其他”时必填"
    )
    lost_since = dates.DateField(
        label="失联起始日期",
        required=False,
        widget=DATE,
        help_text="默认取最近一次参加组织生活或交纳党费的日期",
    )
    lost_since_reason = forms.CharField(label="修改失联起始日期的理由", required=False, max_length=300)


class CaseEditForm(OpenCaseForm):
    findings = forms.CharField(
        label="失联党员表现调查核实情况",
        required=False,
        max_length=BOX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AttemptForm(forms.Form):
    searched_at = dates.DateTimeField(
        label="时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    channel = forms.ChoiceField(label="查找渠道", choices=Channel.choices)
    process = forms.CharField(
        label="查找过程", widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}), max_length=LOG_ROW
    )
    witness = forms.CharField(label="证明人", required=False, max_length=100)
    result = forms.ChoiceField(
        label="查找结果", choices=AttemptResult.choices, initial=AttemptResult.NO_TRACE
    )
    remark = forms.CharField(label="备注", required=False, max_length=500)
    attachment = forms.FileField(label="附件（照片、通话记录、公安回复等，JPG/PNG/PDF）", required=False)
    supersedes = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )
    correction_reason = forms.CharField(label="更正理由", max_length=300)

    def __init__(self, *args, correcting=False, **kwargs):
        """`correcting`: the form corrects an earlier attempt (更正), which needs a reason."""
        super().__init__(*args, **kwargs)
        if not correcting:
            del self.fields["supersedes"], self.fields["correction_reason"]

    def clean_searched_at(self):
        value = self.cleaned_data["searched_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError("查找时间不能晚于现在。")
        return value


CLOSE_CHOICES = [
    (CaseStatus.CONTACTED, "已取得联系"),
    (CaseStatus.DECEASED, "确认已死亡"),
    (CaseStatus.UNREACHABLE, "经多方努力确实无法取得联系"),
]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="查找结果", choices=CLOSE_CHOICES, widget=forms.RadioSelect)
    closed_on = dates.DateField(label="结束日期", widget=DATE)
    evidence = forms.CharField(
        label="情况说明 / 证明材料", required=False, max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label="我已核对以上内容，确认结束查找（结束后不能再修改）", required=True)


class CaseContactForm(forms.Form):
    """A contact with a member whose case is open: logged on the case, the case closed if chosen."""

    on = dates.DateField(label="联系日期", widget=DATE)
    kind = forms.ChoiceField(label="联系方式", choices=RECORDED_KINDS)
    note = forms.CharField(
        label="联系情况",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="联系到谁、党员现在何处、近况",
    )
    close = forms.TypedChoiceField(
        label="登记为",
        choices=[
            ("", "一次查找（结果：取得联系），案件继续"),
            ("1", "取得联系，同时结束查找（已取得联系）"),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label="我已核对，确认已与该党员本人取得联系", required=True)

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("联系日期不能晚于今天。")
        return day


class SecondSearchForm(forms.Form):
    findings = forms.CharField(
        label="党委再次查找情况", max_length=NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )
    confirm = forms.BooleanField(label="我已核对，确认再次查找已完成（该党员将列入登记表）", required=True)


def search_text(raw, limit=50):
    """What the user typed to find an organization: printable characters only, trimmed."""
    text = "".join(ch for ch in str(raw or "") if ch.isprintable()).strip()
    return text[:limit]


class AssistanceRequestForm(forms.Form):
    """The organization to ask is found by typing its name or code: at most MATCHES are offered,
    never the whole tree (62,000 organizations at province size)."""

    MATCHES = 20

    q = forms.CharField(
        label="查找党组织（名称或组织代码）",
        required=False,
        max_length=50,
        help_text="输入党组织名称中的几个字或组织代码，点“查找”",
    )
    to_organization = forms.ModelChoiceField(
        label="请求协查的党组织",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请先查找并选择要请求协查的党组织。",
            "invalid_choice": "请从查找结果中选择本支部以外的党组织。",
        },
    )
    text = forms.CharField(
        label="协查内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE,
        help_text="党员可能所在地、已掌握的线索、希望对方做什么",
    )

    def __init__(self, *args, case, **kwargs):
        from django.db.models import Q

        from lianxin.models import Organization

        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        self.query = search_text(source.get("q"))
        others = Organization.objects.filter(is_active=True).exclude(path__startswith=case.organization.path)
        ids = []
        if self.query:
            matching = others.filter(Q(name__contains=self.query) | Q(code__startswith=self.query))
            ids = list(matching.order_by("path").values_list("pk", flat=True)[: self.MATCHES + 1])
        self.more = len(ids) > self.MATCHES
        ids = ids[: self.MATCHES]
        chosen = str(source.get("to_organization") or "")
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
            ids.append(int(chosen))  # the choice made from an earlier search stays valid and shown
        field = self.fields["to_organization"]
        field.queryset = others.filter(pk__in=ids).order_by("path")
        parent_paths = {o.path[: -o.steplen] for o in field.queryset if o.depth > 1}
        parents = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "name"))
        field.label_from_instance = lambda org: _organization_label(org, parents)


def _organization_label(org, parents):
    """名称（代码，上级名称）: branches are often named alike (第一党支部), the parent tells them apart."""
    parent = parents.get(org.path[: -org.steplen])
    return f"{org.name}（{org.code}{'，' + parent if parent else ''}）"


class AssistanceAnswerForm(forms.Form):
    text = forms.CharField(label="协查结果", widget=forms.Textarea(attrs={"rows": 4}), max_length=NOTE)


class CaseFilterForm(forms.Form):
    """The case list's filters, read from the query string: a value that is not valid is
    ignored (the field is left out of `filters()`), never an error."""

    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=CaseStatus.choices)
    band = forms.ChoiceField(required=False, choices=LostBand.choices)
    reason = forms.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    org = forms.IntegerField(required=False, min_value=0, max_value=2**63 - 1)

    def filters(self):
        """The valid, non-empty filters: {name: cleaned value}."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
