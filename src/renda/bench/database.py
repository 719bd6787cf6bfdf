"""What every benchmark needs before it measures: Django set up as for a test run, and a database of
its own that is dropped afterwards (a SQLite file in a temporary folder, or on PostgreSQL a database
named ``renda_bench_<label>`` when DATABASE_URL points there), so a run never touches real data."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def setup_django() -> None:
    """Django with the site's settings, the test client's host and in-memory mail; no second factor,
    since the benchmarks sign their users in with ``force_login``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    os.environ.setdefault("RENDA_REQUIRE_2FA", "false")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


@contextmanager
def throwaway_database(label: str, *, keep_file: Path | None = None) -> Iterator[bool]:
    """Run the block in a fresh, migrated database, dropped when it ends.

    With ``keep_file`` (SQLite only) the database is that file and survives the block; if the file
    exists it is used as it is, not migrated again. Yields whether the database already existed, so
    the caller knows whether to fill it.
    """
    from django.db import connection, connections

    original_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if keep_file is not None:
        if connection.vendor != "sqlite":
            raise ValueError("只有 SQLite 能保留建好的数据库文件（--keep）")
        keep_file.parent.mkdir(parents=True, exist_ok=True)
        if keep_file.exists():
            connection.close()
            connection.settings_dict["NAME"] = str(keep_file)
            yield True
            return
        test_settings["NAME"] = str(keep_file)
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        yield False
        return
    with tempfile.TemporaryDirectory() as folder:
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(folder) / f"{label}.sqlite3")
        else:
            # The process id keeps two engineers' runs on one server apart.
            test_settings["NAME"] = f"renda_bench_{label}_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield False
        finally:
            connections.close_all()
            connection.creation.destroy_test_db(original_name, verbosity=0)
