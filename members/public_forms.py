"""The two forms of the public 归队码 page: who you are, then what you report."""

import re

from django import forms

from lianxin.textlimits import BOX
from lianxin.validators import normalize_phone


class DigitsInput(forms.TextInput):
    """Never shows the digits back: after a wrong try they are typed again, not left on the screen."""

    def format_value(self, value):
        return None


class IdentifyForm(forms.Form):
    name = forms.CharField(
        label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    last4 = forms.CharField(
        label="身份证号后四位",
        min_length=4,
        max_length=4,
        error_messages={
            "min_length": "请填写身份证号的最后四位。",
            "max_length": "请填写身份证号的最后四位。",
        },
        help_text="最后一位是 X 的，请填 X",
        widget=DigitsInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "size": 6}),
    )


class ReportForm(forms.Form):
    ident = forms.CharField(widget=forms.HiddenInput)  # the signed identification (public_views)
    residence = forms.CharField(
        label="现居住地", max_length=200, help_text="省、市、县（区），街道（乡镇）或小区、村"
    )
    workplace = forms.CharField(label="现工作单位/学习单位", max_length=200, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="党支部会打这个电话与您核实",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    attending = forms.CharField(
        label="现参加组织生活的党组织",
        max_length=200,
        required=False,
        help_text="在外地参加流动党员党支部等组织生活的，请写明；没有可不填",
    )
    message = forms.CharField(
        label="留言",
        max_length=BOX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="想对党支部说的话、遇到的困难",
    )

    def clean_phone(self):
        # Brackets around an area code are how people write it; the shared rule does the rest.
        typed = re.sub(r"[()（）]", "", self.cleaned_data["phone"])
        try:
            return normalize_phone(typed)
        except forms.ValidationError:
            raise forms.ValidationError("请填写正确的联系电话（只填数字，如 13912345678）。") from None
