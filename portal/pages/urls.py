"""Wagtail's pages, served through the remembered routes (portal/pages/routing.py). The pattern is Wagtail's own,
placed before Wagtail's URLconf, which stays included after it for its helpers and for reversing."""

from django.urls import re_path
from wagtail import urls as wagtail_urls

from . import routing

urlpatterns = [re_path(wagtail_urls.serve_pattern, routing.serve, name="page")]
