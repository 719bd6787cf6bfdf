"""Routes of the meetings area: votes."""

urlpatterns: list = []
