import renda.core.ordering
from django.db import migrations


def fill_name_order(apps, schema_editor):
    """Existing stations and groups get their order key; later saves keep it by the field itself."""
    from renda.core.ordering import natural_key

    for model_name in ("Station", "DeputyGroup"):
        model = apps.get_model("organisations", model_name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.name_order = natural_key(row.name)
        model.objects.bulk_update(rows, ["name_order"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_unit_versions'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='deputygroup',
            options={'ordering': ['township', 'name_order'], 'verbose_name': 'deputy group', 'verbose_name_plural': 'deputy groups'},
        ),
        migrations.AlterModelOptions(
            name='station',
            options={'ordering': ['township', 'name_order'], 'verbose_name': 'station', 'verbose_name_plural': 'stations'},
        ),
        migrations.AddField(
            model_name='deputygroup',
            name='name_order',
            field=renda.core.ordering.NaturalKeyField(source='name', verbose_name='order by name'),
        ),
        migrations.AddField(
            model_name='station',
            name='name_order',
            field=renda.core.ordering.NaturalKeyField(source='name', verbose_name='order by name'),
        ),
        migrations.RunPython(fill_name_order, migrations.RunPython.noop),
    ]
