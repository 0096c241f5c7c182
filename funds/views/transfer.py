"""Views of the fund: transfer (being built, issue 10)."""

urlpatterns = []
