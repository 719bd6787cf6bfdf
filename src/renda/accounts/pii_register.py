"""The register of personal information the platform holds (S28, PIPL art. 6 minimal collection).

Every ``PersonalInformationField`` of every model must be listed here with its purpose and who may
reveal it; a test walks all models and fails on a field that is not. Adding a personal field
therefore means stating, and having reviewed, why it is collected and who sees it in full.
``accounts.permissions.may_reveal`` reads ``REVEAL``: this register is the one source of the reveal
policy, for the reveal button, the reveal endpoint and everything built on them.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Reveal(StrEnum):
    """Who, besides the holder of the value (always), may see one field in full."""

    # Staff who may reveal personal information (PII_REVEAL_ROLES) and can see the record.
    RECORD_STAFF = "record_staff"
    # The security administrator, to confirm an account-recovery request (a lost second factor, a
    # locked account) by calling the number the holder gave. Nobody else: an account's phone is not
    # part of anyone's work on the county's records.
    ACCOUNT_RECOVERY = "account_recovery"
    # Those handling the row's matter while it is open; the row's model answers who that is
    # (``reveals_contact_to(user)``): for a citizen's opinion, the township staff and the agencies
    # it is assigned to, until it is finished.
    CASE_HANDLERS = "case_handlers"


REGISTER = {
    "accounts.user.phone": _(
        "Contact for account matters and security notices; masked, revealed only to the account holder "
        "and to the security administrator for account recovery."
    ),
    "deputies.person.id_number": _(
        "Identifies a deputy for the election records and mandate certificates (Electoral Law); masked."
    ),
    "deputies.person.phone": _(
        "Lets the township congress office reach its deputies for meetings and activities; masked."
    ),
    "deputies.person.address": _("Postal address for session notices and deputy documents; masked to township level."),
    "deputies.votercontact.phone": _("Lets a deputy keep in touch with the voters they represent; masked."),
    "organisations.agency.contact_phone": _(
        "Lets the congress office reach a handling agency's contact person about cases; masked."
    ),
    "casework.case.citizen_phone": _(
        "Lets the township office and the handling agency call back the citizen who gave an opinion, "
        "while the case is open; optional, masked, never shown on public pages."
    ),
}

REVEAL = {
    "accounts.user.phone": Reveal.ACCOUNT_RECOVERY,
    "deputies.person.id_number": Reveal.RECORD_STAFF,
    "deputies.person.phone": Reveal.RECORD_STAFF,
    "deputies.person.address": Reveal.RECORD_STAFF,
    "deputies.votercontact.phone": Reveal.RECORD_STAFF,
    "organisations.agency.contact_phone": Reveal.RECORD_STAFF,
    "casework.case.citizen_phone": Reveal.CASE_HANDLERS,
}
