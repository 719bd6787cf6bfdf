"""RENDA_ARTICLE_POINTS: a bad value stops the start with a message naming the setting."""

import pytest

from tests.test_settings import manage


@pytest.mark.parametrize(
    "value", ["nonsense", '{"county": 1}', '{"county": -1, "city": 1, "provincial": 2, "national": 3}']
)
def test_bad_article_points_fail_loudly(value):
    result = manage("check", RENDA_ARTICLE_POINTS=value)
    assert result.returncode != 0 and "RENDA_ARTICLE_POINTS" in result.stderr


def test_article_points_from_the_environment():
    result = manage("check", RENDA_ARTICLE_POINTS='{"county": 1, "city": 2, "provincial": 4, "national": 8}')
    assert result.returncode == 0, result.stderr
