"""Every user-facing string has its Chinese translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "src" / "renda" / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext tools not installed")
def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = LOCALE / "django.po"
    untranslated = subprocess.run(["msgattrib", "--untranslated", str(po)], capture_output=True, text=True).stdout
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", str(po)], capture_output=True, text=True).stdout
    assert untranslated.strip() == "", untranslated[:2000]
    assert fuzzy.strip() == "", fuzzy[:2000]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract the strings afresh into a copy of the source and compare with the committed catalogue."""
    source = Path(__file__).resolve().parent.parent / "src" / "renda"
    copy = tmp_path / "renda"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("static", "divisions", "__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--add-location=file",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    fresh = subprocess.run(
        ["msgattrib", "--untranslated", str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")],
        capture_output=True,
        text=True,
    ).stdout
    # makemessages merges into the copied catalogue: a string it added has no translation.
    assert fresh.strip() == "", f"run makemessages and translate:\n{fresh[:2000]}"
    # A string whose English changed is matched to the old entry and marked fuzzy: its old Chinese
    # would be shown (or, compiled, none at all).
    changed = subprocess.run(
        ["msgattrib", "--only-fuzzy", str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")],
        capture_output=True,
        text=True,
    ).stdout
    assert changed.strip() == "", f"these strings changed in the code; update their entries:\n{changed[:2000]}"
