"""Personal numbers on an edit form: shown masked, kept when left masked, replaced when retyped.

An edit page that printed the whole 身份证号 and phone number showed them to everyone who opened
it, with no record. The field now shows the masked value (6101**********123X); submitting it
unchanged keeps the stored number, typing a new number replaces it (the form validates it as
before). The whole number is a click away through the recorded reveal action.
"""

from django import forms
from django.urls import reverse


class MaskedNumberField(forms.CharField):
    def __init__(self, *, stored, masked, reveal_url, **kwargs):
        super().__init__(**kwargs)
        self.stored, self.masked, self.reveal_url = stored, masked, reveal_url

    def to_python(self, value):
        value = super().to_python(value)
        return self.stored if value == self.masked else value


def keep_if_masked(form, name, mask):
    """Swap the ModelForm's field `name` for a MaskedNumberField over the instance's number."""
    stored = getattr(form.instance, name)
    if not form.instance.pk or not stored:
        return
    original = form.fields[name]
    form.fields[name] = MaskedNumberField(
        stored=stored,
        masked=mask(stored),
        reveal_url=reverse("reveal_value", args=[form.instance._meta.label, form.instance.pk, name]),
        label=original.label,
        required=original.required,
        max_length=original.max_length,
        help_text="如需更正，请输入完整的新号码；保持部分隐藏则不修改。",
    )
    form.initial[name] = mask(stored)
