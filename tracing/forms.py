from datetime import timedelta

from django import forms
from django.utils import timezone

from lianxin import dates
from lianxin.textlimits import BOX, LOG_ROW, NOTE
from tracing.models import AttemptResult, CaseStatus, Channel, LossReason

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
    supersedes = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction_reason = forms.CharField(
        label="更正理由（更正以前的记录时填写）", required=False, max_length=300
    )

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


class SecondSearchForm(forms.Form):
    findings = forms.CharField(
        label="党委再次查找情况", max_length=NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )
    confirm = forms.BooleanField(label="我已核对，确认再次查找已完成（该党员将列入登记表）", required=True)


class AssistanceRequestForm(forms.Form):
    to_organization = forms.ModelChoiceField(label="请求协查的党组织", queryset=None)
    text = forms.CharField(
        label="协查内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE,
        help_text="党员可能所在地、已掌握的线索、希望对方做什么",
    )

    def __init__(self, *args, case=None, **kwargs):
        from lianxin.models import Organization

        super().__init__(*args, **kwargs)
        others = (
            Organization.objects.all()
            if case is None
            else Organization.objects.exclude(path__startswith=case.organization.path)
        )
        self.fields["to_organization"].queryset = others.order_by("path")


class AssistanceAnswerForm(forms.Form):
    text = forms.CharField(label="协查结果", widget=forms.Textarea(attrs={"rows": 4}), max_length=NOTE)
