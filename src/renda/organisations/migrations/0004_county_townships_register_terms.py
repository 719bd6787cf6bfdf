from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_unit_natural_order'),
    ]

    operations = [
        migrations.AddField(
            model_name='county',
            name='townships_register_terms',
            field=models.BooleanField(default=False, verbose_name='townships record their own terms'),
        ),
    ]
