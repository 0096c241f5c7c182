"""Views of the fund: portfolio (being built, issue 10)."""

urlpatterns = []
