from django.db import migrations


def create_default_types(apps, schema_editor):
    from renda.activities.types import ensure_default_types

    County = apps.get_model("organisations", "County")
    ActivityType = apps.get_model("activities", "ActivityType")
    for county in County.objects.all():
        ensure_default_types(county, model=ActivityType)


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_default_types, migrations.RunPython.noop)]
