"""Routes of the meetings area: motions."""

urlpatterns: list = []
