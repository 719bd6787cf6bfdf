"""The home page of each role: the cards the apps declare for it in ``core.registry.home_cards``
(see their apps.py). The cards are read-only; the home page changes nothing."""

from django.shortcuts import render

from renda.core.registry import home_cards_for


def home(request):
    user = request.user
    cards = [{"template": card.template, "context": context} for card, context in home_cards_for(user)]
    return render(request, "home.html", {"role": user.role, "cards": cards})
