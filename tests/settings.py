"""The site's settings plus the apps that exist only for tests (each one line)."""

from renda.settings import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "tests.plugin_probe",
    "tests.scoping_probe",
]
