"""The site's settings plus the apps that exist only for tests (each one line)."""

from renda.settings import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "tests.plugin_probe",
    "tests.scoping_probe",
]

# Uploaded files go to a directory of their own per test run, never into var/media.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="renda-test-media-")
