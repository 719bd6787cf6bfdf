from django.db import migrations, models


def fill_pinyin_keys(apps, schema_editor):
    """Give every existing person the new order key; new people get it from services.fill_name_columns."""
    from renda.deputies.names import pinyin_order_key

    Person = apps.get_model("deputies", "Person")
    people = list(Person.objects.only("pk", "full_name"))
    for person in people:
        person.name_pinyin_key = pinyin_order_key(person.full_name)
    Person.objects.bulk_update(people, ["name_pinyin_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_pinyin_key",
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name="pinyin order key"),
        ),
        migrations.RunPython(fill_pinyin_keys, migrations.RunPython.noop),
    ]
