"""Password rules beyond Django's own validators (等保 S1)."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
    ("symbol", lambda c: c in string.punctuation or not (c.isalnum() or c.isspace())),
)


def character_classes(password: str) -> int:
    """How many of the four classes (lower case, upper case, digits, symbols) the password uses."""
    return sum(1 for _name, test in CLASSES if any(test(c) for c in password))


class CharacterClassValidator:
    """At least ``min_classes`` of lower case letters, upper case letters, digits and symbols.

    Together with the 12-character minimum this meets the assessors' "≥ 12 characters or 3 classes"
    by demanding both. Chinese characters count as symbols: they are neither ASCII letters nor digits.
    """

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self):
        return ngettext(
            "Your password must use at least %(n)d kind of character: lower case letters, upper case "
            "letters, digits and symbols.",
            "Your password must use at least %(n)d of these kinds of character: lower case letters, upper "
            "case letters, digits and symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}
