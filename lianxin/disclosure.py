"""Revealing and exporting full personal numbers: always an explicit, recorded action."""

from django.apps import apps
from django.db import transaction

from lianxin.models import Disclosure

# What may be revealed, by model: field name → label. Anything else is refused. Each app
# registers its own models' personal numbers (members/apps.py), so the core names no app.
REVEALABLE = {}


def register_revealable(model_label, fields):
    from lianxin.actions import register_reveal

    REVEALABLE[model_label.lower()] = dict(fields)
    for field in fields:
        register_reveal(field)


def revealable_fields(model_label):
    return REVEALABLE.get(model_label.lower(), {})


def resolve(model_label, pk):
    model = apps.get_model(model_label)
    # "member__organization__path" → "member__organization": the scope check reads it.
    organization = model.scope_path_field.removesuffix("__path")
    return model._default_manager.select_related(organization).get(pk=pk)


@transaction.atomic
def disclosure_record(*, user, organization, kind, subject, fields, subject_key="", count=1):
    return Disclosure.objects.create(
        user=user,
        organization=organization,
        kind=kind,
        subject=subject[:200],
        subject_key=str(subject_key)[:100],
        fields="、".join(fields)[:200],
        count=count,
    )


def reveal(*, user, obj, field):
    """Record that `user` looked at the whole `field` of `obj`, and return the value."""
    label = revealable_fields(obj._meta.label)[field]
    owner = getattr(obj, "member", None)  # a member's contact: say whose
    disclosure_record(
        user=user,
        organization=obj.scope_organization,
        kind=Disclosure.Kind.REVEAL,
        subject=f"{owner}的{obj._meta.verbose_name}{obj}" if owner else str(obj),
        subject_key=f"{obj._meta.label_lower}:{obj.pk}",
        fields=[label],
    )
    return getattr(obj, field)
