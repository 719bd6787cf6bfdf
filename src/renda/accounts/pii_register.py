"""The register of personal information the platform holds (S28, PIPL art. 6 minimal collection).

Every ``PersonalInformationField`` of every model must be listed here with its purpose; a test
walks all models and fails on a field that is not. Adding a personal field therefore means
stating, and having reviewed, why it is collected.
"""

from django.utils.translation import gettext_lazy as _

REGISTER = {
    "accounts.user.phone": _(
        "Contact for account matters and security notices; masked, revealed only to the account holder."
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
}
