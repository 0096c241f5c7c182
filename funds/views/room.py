"""Views of the fund: room (being built, issue 10)."""

urlpatterns = []
