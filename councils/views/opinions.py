"""Workspace section: opinions (being built)."""

urlpatterns = []
