"""Who may do what with the organisation tree, named once and used by views, API and templates."""

from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import County, Station, Term, Township


def may_set_county_terms(user, county: County) -> bool:
    """The county office records the terms of the county congress and of all its townships."""
    return role_may(user, CHANGE, Term) and can(user, CHANGE, county)


def may_register_term(user, township: Township) -> bool:
    """A township congress's term: the county office always, the township's own staff where the
    county lets townships record their own terms. Subdistricts have no congress, hence no term."""
    if not township.has_congress:
        return False
    if role_may(user, CHANGE, Term) and can(user, VIEW, township):
        return True
    # The township's own staff: those who may change the units of this township and belong to it.
    return (
        township.county.townships_register_terms
        and role_may(user, CHANGE, Station)
        and getattr(user, "township_id", None) == township.pk
    )
