"""Permissions live in one place: the named checks of each app (``<app>/permissions.py``), built on
the scoping mechanism and the role sets of ``renda.accounts.roles``. Views, API modules and
templates call the checks (templates through flags their view computes from them); a role
comparison written there is a second, unreviewed rule, so this test finds and refuses it.
"""

import ast
import re
from pathlib import Path

import renda

SOURCE = Path(renda.__file__).parent

# Files allowed to compare roles, each with its reason. Keep it short; remove an entry as soon as
# its file no longer needs it (test_allowlist_is_not_stale says so).
# Files that may compare roles, with the reason. Empty: every check has a name in a permissions module.
ALLOWED: dict[str, str] = {}

TEMPLATE_ROLE_TEST = re.compile(r"{%-?\s*(?:el)?if\b[^%]*\brole\b[^%]*%}")


def _names_a_role(node: ast.AST) -> bool:
    """``x.role``, ``role``, ``Role.X``, ``SOME_ROLES`` or a literal set/list/tuple of them."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    if isinstance(node, ast.Name):
        return node.id == "role" or node.id.endswith("_ROLES")
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        return any(_names_a_role(element) for element in node.elts)
    return False


def python_role_comparisons(source: str) -> list[int]:
    """Line numbers of comparisons involving a role (``==``, ``!=``, ``in``, ``not in``...)."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Compare) and any(_names_a_role(part) for part in [node.left, *node.comparators])
    )


def template_role_comparisons(source: str) -> list[int]:
    return [source.count("\n", 0, match.start()) + 1 for match in TEMPLATE_ROLE_TEST.finditer(source)]


def checked_files() -> list[Path]:
    python = [
        path
        for path in SOURCE.rglob("*.py")
        # apps.py: the menu entries and home cards each app declares into the registries.
        if path.name in {"views.py", "api.py", "apps.py", "navigation.py"} or path.parent.name in {"views", "api"}
    ]
    return sorted(python) + sorted(SOURCE.rglob("templates/**/*.html"))


def role_comparisons(path: Path) -> list[int]:
    source = path.read_text(encoding="utf-8")
    return python_role_comparisons(source) if path.suffix == ".py" else template_role_comparisons(source)


def test_the_detector_finds_role_comparisons_and_nothing_else():
    """Guards the guard."""
    flagged = [
        "if request.user.role != Role.DEPUTY:\n    pass",
        "ok = user.role in {Role.COUNTY_ADMIN, Role.LEADER}",
        "ok = user.role in EXPORT_ROLES",
        "ok = role == 'deputy'",
        "ok = Role.SYSTEM_ADMIN == user.role",
    ]
    for source in flagged:
        assert python_role_comparisons(source) == [1], source
    for source in (
        "ok = role_may(user, VIEW, Person)",
        "ok = may_view_roster(request.user)",
        "x = user.get_role_display()",
    ):
        assert python_role_comparisons(source) == [], source
    assert template_role_comparisons('<p>\n{% if role == "deputy" %}x{% endif %}') == [2]
    assert template_role_comparisons("{% elif user.role in roles %}") == [1]
    assert template_role_comparisons('<div role="alert">{{ user.get_role_display }}</div>') == []
    assert template_role_comparisons("{% if may_resolve_contests %}x{% endif %}") == []


def test_no_role_comparison_in_views_api_registrations_or_templates():
    assert checked_files(), "the scan found no files: the source layout changed"
    found = {
        str(path.relative_to(SOURCE)): lines
        for path in checked_files()
        if str(path.relative_to(SOURCE)) not in ALLOWED and (lines := role_comparisons(path))
    }
    assert found == {}, (
        f"role comparisons (file: lines) {found}: call a named check of the app's permissions.py instead"
    )


def test_allowlist_is_not_stale():
    stale = [name for name in ALLOWED if not (SOURCE / name).exists() or not role_comparisons(SOURCE / name)]
    assert stale == [], f"remove from ALLOWED, they compare no role any more: {stale}"
