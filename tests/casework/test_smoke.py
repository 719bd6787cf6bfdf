"""The casework rows of both sides build (the crawl's samples depend on them)."""


def test_world_has_a_case_on_each_side(world):
    rows = world.rows
    for label in ("casework.case", "casework.casereply", "casework.caserating"):
        assert set(rows[label]) == {"a", "b"}
    case = rows["casework.case"]["a"][0]
    case.refresh_from_db()
    assert case.state == "rated"
    assert [event.transition for event in case.events.all()][:3] == ["submit", "accept", "assign"]
