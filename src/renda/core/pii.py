"""Personal information: validation, masking and the model fields that carry it.

ID numbers (公民身份号码, GB 11643) and mobile numbers are shown masked everywhere by default;
the full value is revealed only through the audited reveal service (accounts.services.pii_reveal).
"""

from typing import cast

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from . import crypto


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_id_number(value: str) -> None:
    """GB 11643: 18 characters, valid birth date, known region code and the ISO 7064 check digit.

    ``stdnum.cn.ric.validate`` also demands that the region code existed in the birth year, but
    numbers were issued with the code in force at issue: everyone born in 龙游县 before 1985
    carries 330825, a code created in 1985. So the region is only checked to be a known code.
    """
    number = normalise_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("An ID number has 18 characters."), code="id_length")
    if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        raise ValidationError(_("This is not a valid ID number."), code="id_invalid")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(_("The check digit of this ID number is wrong."), code="id_checksum")
    try:
        ric.get_birth_date(number)
    except StdnumError as exc:
        raise ValidationError(_("The birth date in this ID number is not valid."), code="id_birth_date") from exc
    if not any("county" in props for _part, props in numdb.get("cn/loc").info(number[:6])):
        raise ValidationError(_("The region code of this ID number is unknown."), code="id_region")


def normalise_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "").replace("-", "")
    return value.removeprefix("+86")


def validate_phone(value: str) -> None:
    number = normalise_phone(value)
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a valid phone number."), code="phone_invalid") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("This is not a valid phone number."), code="phone_invalid")


def explain_phone(value: str) -> str | None:
    """Why ``validate_phone`` refuses a number, in words an official can act on without seeing the
    number again (messages are shown on pages and kept on import jobs): a character that is not a
    digit, a mobile number of the wrong length or with a prefix no carrier uses, a landline without
    its area code. None when the number is valid. Landlines with their area code are valid phones."""
    number = normalise_phone(value)
    try:
        validate_phone(number)
    except ValidationError:
        pass
    else:
        return None
    stray = next((char for char in number if char not in "0123456789"), None)
    if stray is not None:
        return str(
            _("A phone number has digits only; this one contains “%(char)s”. Write one number per cell.")
            % {"char": stray}
        )
    if number.startswith("1"):
        if len(number) != 11:
            return str(_("A mobile number has 11 digits; this one has %(count)s.") % {"count": len(number)})
        return str(_("No mobile number begins with %(prefix)s; check the first digits.") % {"prefix": number[:3]})
    if number.startswith("0"):
        return str(
            _(
                "A landline number is its area code and 7 or 8 digits, such as 0570-7012345; "
                "check the area code and the %(count)s digits written here."
            )
            % {"count": len(number)}
        )
    if len(number) in (7, 8):
        return str(_("This looks like a landline number without its area code; write it like 0570-7012345."))
    return str(_("This is not a valid phone number."))


def mask_id_number(value: str) -> str:
    """110101199003071234 -> 110101********1234: region kept, birth date hidden."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; landlines keep the area code and the last four digits."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class PersonalInformationField(models.TextField):
    """Personal information, encrypted at rest; ``mask`` gives the form shown by default.

    In Python the attribute holds the plain value; the database holds only ciphertext, so the
    column can be neither searched nor sorted. Look rows up through a ``BlindIndexField``.
    """

    masker = staticmethod(lambda value: value)
    normaliser = staticmethod(lambda value: value)

    def __init__(self, verbose_name=None, *args, max_length: int = 30, **kwargs):
        # The limit applies to the plain value in forms; the stored ciphertext is longer.
        self.plain_max_length = max_length
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(verbose_name, *args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def mask(self, value: str) -> str:
        return self.masker(value or "")

    def to_python(self, value):
        value = super().to_python(value)
        return self.normaliser(value) if value else value

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return crypto.encrypt(self.normaliser(value)) if value else ""

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.CharField, "max_length": self.plain_max_length, "widget": forms.TextInput}
        return super().formfield(**{**defaults, **kwargs})


class IdNumberField(PersonalInformationField):
    default_validators = [validate_id_number]
    masker = staticmethod(mask_id_number)
    normaliser = staticmethod(normalise_id_number)

    def __init__(self, verbose_name=None, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(verbose_name or _("ID number"), *args, **kwargs)


class PhoneField(PersonalInformationField):
    default_validators = [validate_phone]
    masker = staticmethod(mask_phone)
    normaliser = staticmethod(normalise_phone)

    def __init__(self, verbose_name=None, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(verbose_name or _("phone"), *args, **kwargs)


class BlindIndexField(models.CharField):
    """A keyed digest of another field's normalised value, kept in step on every save, so that
    ``Person.objects.filter(id_number_index=blind_index_of(Person, "id_number", value))`` finds
    a person by ID number without the database knowing any ID number."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        source_field = model_instance._meta.get_field(self.source)
        value = getattr(model_instance, self.source) or ""
        digest = crypto.blind_index(source_field.normaliser(value)) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


def blind_index_of(model: type[models.Model], field_name: str, value: str) -> str:
    """The digest to filter a model's blind index by, for a value as a user typed it."""
    field = cast(PersonalInformationField, model._meta.get_field(field_name))
    normalised = field.normaliser(value or "")
    return crypto.blind_index(normalised) if normalised else ""
