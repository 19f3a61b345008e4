"""排查 (census periods): opened by a unit for itself and below; the 名册 of each is as of its end."""

from django import forms
from django.db.models import Q
from django.urls import reverse

from lianxin import access, perms
from lianxin.dates import formfield as ranged_formfield
from lianxin.models import Organization
from lianxin.pages import form_page
from lianxin.queries import filter_choices
from tracing import services
from tracing.models import CensusPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CensusForm(forms.ModelForm):
    class Meta:
        model = CensusPeriod
        fields = ["organization", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
        formfield_callback = ranged_formfield

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in filter_choices(user)]
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data


def census_list(request):
    """排查: periods opened for the user's units or above them; the 名册 of each is as of its end."""
    own = access.scope_q(request.user, access.VIEW, "organization__path")
    paths = set()
    for path in access.granted_paths(request.user, access.VIEW):
        paths.update(path[:i] for i in range(Organization.steplen, len(path) + 1, Organization.steplen))
    periods = CensusPeriod.objects.select_related("organization")
    if own is not None:
        periods = periods.filter(own | Q(organization__path__in=paths))

    def save(data):
        access.require(request.user, perms.EXPORT_REPORTS, data["organization"])  # the unit chosen
        return services.census_open(acting_user=request.user, **data)

    return form_page(
        request,
        CensusForm(request.POST or None, user=request.user),
        save=save,
        title="排查",
        done=lambda period: (
            f"已开启排查：{period.name}（{period.starts_on:%Y-%m-%d} 至 {period.ends_on:%Y-%m-%d}）。"
        ),
        next_url=reverse("tracing:census_list"),
        template="tracing/census_list.html",
        context={"periods": periods.order_by("-ends_on")[:50]},
    )
