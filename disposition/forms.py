from django import forms

from disposition.models import Decision
from disposition.outcomes import Outcome
from lianxin import dates
from lianxin.textlimits import BOX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(label="处置方式")
    proposal = forms.CharField(label="支部处置意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=BOX)
    correction_until = dates.DateField(
        label="限期改正截止日期（限期改正时填写，默认六个月）", required=False, widget=DATE
    )
    disciplined = forms.BooleanField(label="该党员已受党纪处分", required=False)

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=Decision.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=BOX)
    return_to = forms.ChoiceField(label="退回至（退回修改时选择）", required=False)
    meeting_date = dates.DateField(label="会议日期", required=False, widget=DATE)
    present = forms.IntegerField(label="实到会有表决权党员", required=False, min_value=0, max_value=100000)
    votes_for = forms.IntegerField(label="赞成", required=False, min_value=0, max_value=100000)
    votes_against = forms.IntegerField(label="反对", required=False, min_value=0, max_value=100000)
    votes_abstain = forms.IntegerField(label="弃权", required=False, min_value=0, max_value=100000)
    confirm = forms.BooleanField(
        label="我已核对，确认以本组织名义作出以上决定（提交后不能修改）", required=True
    )

    def __init__(self, *args, stage=None, earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_to"].choices = [("", "—")] + [(s.key, s.title) for s in earlier]
        if stage is not None and not stage.meeting:
            for name in ("meeting_date", "present", "votes_for", "votes_against", "votes_abstain"):
                del self.fields[name]
        elif stage is not None and not stage.vote:
            for name in ("present", "votes_for", "votes_against", "votes_abstain"):
                del self.fields[name]

    def meeting(self):
        keys = ("meeting_date", "present", "votes_for", "votes_against", "votes_abstain")
        return {k: self.cleaned_data.get(k) for k in keys if k in self.fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
    confirm = forms.BooleanField(label="我已核对，确认此操作", required=True)


class ResubmitForm(forms.Form):
    proposal = forms.CharField(
        label="修改后的处置意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=BOX
    )


class ExpulsionForm(forms.Form):
    decision = forms.CharField(label="纪律处分决定（决定机关、文号）", max_length=300)
    decided_on = dates.DateField(label="决定日期", widget=DATE)
    confirm = forms.BooleanField(label="我已核对纪律处分决定，确认登记开除党籍", required=True)


OUTCOME_CHOICES = Outcome.choices
