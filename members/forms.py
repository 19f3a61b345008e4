"""Member forms: Chinese messages beside the field, nothing saved on any error."""

from django import forms
from django.utils import timezone

from lianxin import dates
from lianxin.masking import mask_id_number, mask_phone
from lianxin.validators import normalize_phone
from members import idcard
from members.maskedfields import keep_if_masked
from members.models import (
    RECORDED_KINDS,
    Absence,
    AbsenceKind,
    ActivityKind,
    AttendanceStatus,
    Contact,
    ContactStatus,
    DuesPayment,
    Member,
    Transfer,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "joined_on",
            "membership_type",
            "id_number",
            "phone",
            "wechat",
            "residence",
            "workplace",
            "occupation",
            "key_group",
            "liaison",
            "flow_card_number",
            "remark",
        ]
        widgets = {"birth_date": DATE, "joined_on": DATE}
        formfield_callback = dates.formfield
        field_classes = {"birth_date": dates.BirthDateField}

    def __init__(self, *args, branch=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from lianxin.models import Post

        branch = branch or getattr(self.instance, "organization", None)
        holders = (
            Post.objects.filter(organization=branch, ended_on__isnull=True).values("user") if branch else []
        )
        self.fields["liaison"].queryset = (
            get_user_model().objects.filter(pk__in=holders).order_by("first_name")
        )
        self.fields["liaison"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        # The stored numbers are shown masked; left as they are, they are kept.
        keep_if_masked(self, "id_number", mask_id_number)
        keep_if_masked(self, "phone", mask_phone)

    def clean_id_number(self):
        try:
            parsed = idcard.parse(self.cleaned_data.get("id_number", ""))
        except idcard.IdNumberError as exc:
            raise forms.ValidationError(str(exc)) from None
        clash = Member.objects.filter(id_number=parsed.number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("该身份证号已登记在系统中，不能重复录入。")
        self.parsed_id = parsed
        return parsed.number

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        parsed = getattr(self, "parsed_id", None)
        birth, joined, gender = data.get("birth_date"), data.get("joined_on"), data.get("gender")
        if (
            parsed
            and birth
            and (birth.year, birth.month) != (parsed.birth_date.year, parsed.birth_date.month)
        ):
            self.add_error(
                "birth_date", f"出生年月与身份证号不一致（身份证号为{parsed.birth_date:%Y年%m月}）。"
            )
        if parsed and gender and gender != parsed.gender:
            self.add_error("gender", f"性别与身份证号不一致（身份证号为{parsed.gender}性）。")
        if joined and joined > timezone.localdate():
            self.add_error("joined_on", "入党时间不能晚于今天。")
        if joined and birth and joined.year - birth.year < 18:
            self.add_error("joined_on", "入党时应年满十八岁。")
        return data


class ActivityForm(forms.Form):
    """组织生活 with every member's attendance. No row asserts a fact by default: each starts unset
    (请假 for a member on a 外出 leave not yet returned), and the form refuses unset rows.
    A member with an open search marked 参加 needs the secretary's confirmation (`confirm_open`)."""

    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    title = forms.CharField(label="活动主题", max_length=200)
    held_on = dates.DateField(label="活动日期", widget=DATE)
    confirm_open = forms.BooleanField(label="我已核对：以上党员确实参加了本次组织生活", required=False)

    def __init__(self, *args, members=(), on_leave=(), searched=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.on_leave = set(on_leave)
        self.searched = searched or {}  # {member pk: members.rollcall.OpenSearch}
        self.needs_confirmation = []
        for member in self.members:
            self.fields[f"m{member.pk}"] = forms.ChoiceField(
                label=member.name,
                choices=AttendanceStatus.choices,
                initial=AttendanceStatus.LEAVE if member.pk in self.on_leave else None,
                widget=forms.RadioSelect,
                error_messages={"required": "请选择出席情况。"},
            )

    def rows(self):
        """One line per member: the bound field, the member, and what the secretary should know."""
        for member in self.members:
            notes = []
            if member.pk in self.searched:
                notes.append(("danger", "查找中"))
            elif member.contact_status == ContactStatus.LOST:
                notes.append(("danger", "失联"))
            if member.unreachable_since:
                notes.append(("warn", "联系不上"))
            if member.pk in self.on_leave:
                notes.append(("info", "外出"))
            yield {"field": self[f"m{member.pk}"], "member": member, "notes": notes}

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("活动日期不能晚于今天。")
        return held_on

    def clean(self):
        data = super().clean()
        unset = [m.name for m in self.members if not data.get(f"m{m.pk}")]
        if unset:
            names = "、".join(unset[:10]) + (f"等 {len(unset)} 人" if len(unset) > 10 else "")
            self.add_error(None, f"还有党员未选择出席情况：{names}。每名党员都要登记，不默认“参加”。")
        self.needs_confirmation = [
            (m, self.searched[m.pk])
            for m in self.members
            if m.pk in self.searched and data.get(f"m{m.pk}") == AttendanceStatus.PRESENT
        ]
        if self.needs_confirmation and not data.get("confirm_open"):
            self.add_error("confirm_open", "以下党员有正在查找的失联案件，请核对后勾选确认。")
        return data

    def attendance(self):
        return {m: self.cleaned_data[f"m{m.pk}"] for m in self.members}

    def confirmed(self):
        """The members with an open search whose presence the secretary confirmed."""
        return (
            {m.pk for m, _search in self.needs_confirmation}
            if self.cleaned_data.get("confirm_open")
            else set()
        )

    def presence_filled(self, data):
        """The posted rows, with every unset row of a member not lost, not unreachable and not
        searched for set to 参加 (the secretary's 其余均参加; they review it before saving)."""
        initial = {name: data.get(name) for name in ("kind", "title", "held_on")}
        filled = 0
        for member in self.members:
            name = f"m{member.pk}"
            value = data.get(name)
            if value in AttendanceStatus.values:
                initial[name] = value
            elif not (
                member.pk in self.searched
                or member.contact_status == ContactStatus.LOST
                or member.unreachable_since
            ):
                initial[name] = AttendanceStatus.PRESENT
                filled += 1
        return initial, filled


class ContactRecordForm(forms.Form):
    on = dates.DateField(label="联系日期", widget=DATE)
    kind = forms.ChoiceField(label="联系方式", choices=RECORDED_KINDS)
    note = forms.CharField(
        label="联系情况",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="联系到谁、党员现在何处、近况",
    )

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("联系日期不能晚于今天。")
        return day


class DuesForm(forms.ModelForm):
    class Meta:
        model = DuesPayment
        fields = ["month", "amount", "paid_on"]
        widgets = {"paid_on": DATE}
        formfield_callback = dates.formfield

    month = dates.DateField(
        label="所属月份",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("金额应大于零。")
        return amount

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError("交纳日期不能晚于今天。")
        return paid_on

    def clean(self):
        data = super().clean()
        month = data.get("month")
        if (
            month
            and self.member
            and DuesPayment.objects.filter(member=self.member, month=month.replace(day=1)).exists()
        ):
            self.add_error("month", "该月党费已登记。")
        return data


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = [
            "kind",
            "left_on",
            "expected_return",
            "destination",
            "reported",
            "contact_person",
            "country",
            "purpose",
            "keeps_relation",
        ]
        widgets = {"left_on": DATE, "expected_return": DATE}
        formfield_callback = dates.formfield

    def clean(self):
        data = super().clean()
        left, back = data.get("left_on"), data.get("expected_return")
        if left and left > timezone.localdate():
            self.add_error("left_on", "外出日期不能晚于今天。")
        if left and back and back < left:
            self.add_error("expected_return", "预计返回日期不能早于外出日期。")
        if data.get("kind") == AbsenceKind.ABROAD and not data.get("country"):
            self.add_error("country", "出国（境）须填写前往国家（地区）。")
        return data


class ReturnForm(forms.Form):
    returned_on = dates.DateField(label="返回日期", widget=DATE)

    def __init__(self, *args, absence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.absence = absence

    def clean_returned_on(self):
        day = self.cleaned_data["returned_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("返回日期不能晚于今天。")
        if self.absence and day < self.absence.left_on:
            raise forms.ValidationError("返回日期不能早于外出日期。")
        return day


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["kind", "name", "relation", "phone", "address"]

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))


class TransferOutForm(forms.ModelForm):
    class Meta:
        model = Transfer
        fields = [
            "nature",
            "phone",
            "wechat",
            "destination",
            "backup_contact",
            "other_organization",
            "talk_on",
            "talk_record",
            "pledge_signed_on",
            "card_handed_on",
            "letter_number",
            "letter_issued_on",
        ]
        widgets = {
            "talk_on": DATE,
            "pledge_signed_on": DATE,
            "card_handed_on": DATE,
            "letter_issued_on": DATE,
            "talk_record": forms.Textarea(attrs={"rows": 3}),
        }
        formfield_callback = dates.formfield

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))


class TransferInForm(forms.ModelForm):
    class Meta:
        model = Transfer
        fields = ["other_organization", "talk_on", "talk_record"]
        labels = {"other_organization": "原所在党组织"}
        widgets = {"talk_on": DATE, "talk_record": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = dates.formfield


class ReceiptForm(forms.Form):
    received_on = dates.DateField(label="回执收到日期", widget=DATE)


class FollowUpForm(forms.Form):
    on = dates.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="跟踪情况", max_length=500)
