"""The site's settings plus the apps that exist only for tests (each one line).

The suite runs on the development profile (SQLite, in-process cache) and, in CI, on the production
profile (PostgreSQL and Redis, see .ci/run). Only what the test client and the live server need is
changed here; every other production value stays as an operator would run it."""

import os
import tempfile
from urllib.parse import urlsplit

from renda.settings import *  # noqa: F403

INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "tests.plugin_probe",
    "tests.scoping_probe",
]

# Uploaded files go to a directory of their own per test run, never into var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="renda-test-media-")

# The source files, as in development: the hashed names of the production storage exist only after
# `collectstatic`, which tests/core/test_static_files.py runs into a directory of its own.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The test client and the browser tests' live server speak plain HTTP: on the production profile,
# no redirect to HTTPS, and the cookies travel over HTTP. (Development has these off already.)
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Every test starts with an empty cache (tests/conftest.py), which on Redis empties the whole
# database (FLUSHDB): each xdist worker gets a database of its own, REDIS_URL's number plus the
# worker's (gw0 +0, gw1 +1).
if REDIS_URL:  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    CACHES["default"]["LOCATION"] = _url._replace(path=f"/{int(_url.path.strip('/') or 0) + _worker}").geturl()  # noqa: F405
