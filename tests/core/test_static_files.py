"""Static files in production: `collectstatic` writes every file under a name carrying a hash of
its content, and pages link those names, so browsers never pair a new page with an old script."""

import re

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg)$")
ASSET = re.compile(r"""<(?:link|script)\b[^>]*?\b(?:href|src)="/static/([^"]+)\"""")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_pages_link_hashed_static_files_that_collectstatic_wrote(client, world, tmp_path):
    production = {**settings.STORAGES, "staticfiles": {"BACKEND": "renda.core.staticfiles.HashedStaticFilesStorage"}}
    with override_settings(STORAGES=production, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = page(client, reverse("accounts:login"))
        client.force_login(world.county_admin)
        html += page(client, reverse("deputies:composition"))  # ECharts, besides the base's files
    names = set(ASSET.findall(html))
    for stem in (
        "vendor/bootstrap/bootstrap.min.",
        "vendor/bootstrap/bootstrap.bundle.min.",
        "renda/renda.",
        "django_htmx/",
        "vendor/echarts/echarts.min.",
    ):
        assert any(name.startswith(stem) for name in names), stem
    assert [name for name in names if not HASHED.search(name) or not (tmp_path / name).is_file()] == []
