"""The guard on reads of scoped models: loud inside a view, explicit outside the scope."""

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory

from renda.accounts.scoping import scoped
from renda.core.scopes import (
    Scope,
    ScopeGuardMiddleware,
    UnscopedRead,
    check_scoped_models,
    reads_guarded,
)
from renda.organisations.models import Township


def test_a_view_reading_around_the_scope_fails_loudly(world):
    with reads_guarded():
        with pytest.raises(UnscopedRead):
            list(Township.objects.filter(county=world.county))
        with pytest.raises(UnscopedRead):
            Township.objects.count()
        with pytest.raises(UnscopedRead):
            Township.objects.exists()
        # Through the scope, on purpose, or following a relation from a row in hand: allowed.
        assert list(scoped(Township, world.staff_a)) == [world.township_a]
        assert Township.objects.unscoped().count() == 2
        assert set(Township.objects.for_county(world.county)) == {world.township_a, world.township_b}
        assert world.county.townships.count() == 2
        # Forms validate uniqueness over the whole table.
        world.township_b.full_clean()
    # Outside a request (commands, tasks) nothing is guarded.
    assert Township.objects.count() == 2


def test_the_middleware_arms_the_guard_for_the_view_only(world):
    seen = {}

    def view(request):
        with pytest.raises(UnscopedRead):
            Township.objects.count()
        seen["user"] = request.user
        return "response"

    request = RequestFactory().get("/")
    request.user = world.staff_a
    middleware = ScopeGuardMiddleware(lambda request: middleware.process_view(request, view, (), {}) or view(request))
    assert middleware(request) == "response"
    assert seen["user"] == world.staff_a
    assert Township.objects.count() == 2  # disarmed after the response


def test_a_scope_without_a_guarded_manager_fails_the_system_check(monkeypatch):
    assert check_scoped_models() == []
    monkeypatch.setattr(Group, "scope", Scope(owner="user"), raising=False)
    assert [message.id for message in check_scoped_models()] == ["renda.E010"]
