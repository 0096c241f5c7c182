"""Workspace section: meetings (being built)."""

urlpatterns = []
