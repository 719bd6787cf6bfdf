"""Tracking codes for citizens' submissions (S34): 80 random bits, readable over the phone."""

import secrets

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LENGTH = 4, 4  # 16 characters × 5 bits = 80 bits of randomness


def new_tracking_code() -> str:
    """A code such as ``7K3M-Q9XD-2HTA-PW4E``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))


def normalise_tracking_code(text: str) -> str | None:
    """Accept what a citizen types (lower case, spaces, O for 0, I/L for 1); None if it cannot be a code."""
    cleaned = (text or "").upper().replace(" ", "").replace("-", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != GROUPS * GROUP_LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return "-".join(cleaned[i : i + GROUP_LENGTH] for i in range(0, len(cleaned), GROUP_LENGTH))
