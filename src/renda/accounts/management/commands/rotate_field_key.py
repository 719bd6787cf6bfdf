"""Re-encrypt every personal-information value with the current RENDA_FIELD_KEY (S32).

Rotation: set the new key as RENDA_FIELD_KEY and the old one as RENDA_FIELD_KEY_PREVIOUS, restart,
run this command, then remove RENDA_FIELD_KEY_PREVIOUS. Blind indexes are recomputed too. Safe to
run twice; each model is done in batches, each batch in one transaction.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from renda.accounts import audit
from renda.core import crypto
from renda.core.pii import BlindIndexField, PersonalInformationField

BATCH = 500


def _rotate_model(model) -> int:
    fields = [f for f in model._meta.concrete_fields if isinstance(f, PersonalInformationField)]
    if not fields:
        return 0
    indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
    names = [f.attname for f in fields]
    pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            for obj in model._base_manager.filter(pk__in=pks[start : start + BATCH]).only("pk", *names):
                values = {name: getattr(obj, name) for name in names}
                for index in indexes:
                    plain = values.get(index.source) or ""
                    source = model._meta.get_field(index.source)
                    values[index.attname] = crypto.blind_index(source.normaliser(plain)) if plain else ""
                model._base_manager.filter(pk=obj.pk).update(**values)
    return len(pks)


class Command(BaseCommand):
    help = "Re-encrypt personal information with the current RENDA_FIELD_KEY (after setting RENDA_FIELD_KEY_PREVIOUS)."

    def handle(self, *args, **options):
        crypto.reset_keys()
        counts = {}
        for model in apps.get_models():
            rows = _rotate_model(model)
            if rows:
                counts[model._meta.label_lower] = rows
        audit.record("security.field_key.rotate", actor=None, data={"rows": counts})
        self.stdout.write(f"Re-encrypted: {counts}")
