import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_audit_seal")]

    operations = [
        migrations.CreateModel(
            name="AuditHeadAnchor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(verbose_name="chain position")),
                ("entry_hash", models.CharField(max_length=64, verbose_name="hash")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
            ],
            options={
                "verbose_name": "audit chain head",
                "verbose_name_plural": "audit chain heads",
                "ordering": ["-seq"],
            },
        ),
    ]
