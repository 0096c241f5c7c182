from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.health import health
from portal.search import views as search_views

urlpatterns = [
    path("health/", health, name="health"),  # for load balancers: no language prefix, never cached
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Chinese at /, English at /en/.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("accounts/", include("portal.accounts.urls")),
    path("workspace/reviews/", include("portal.reviews.urls")),
    path("workspace/voting/", include("portal.voting.urls")),
    path("workspace/opinions/", include("portal.opinions.urls")),
    path("workspace/notifications/", include("portal.notifications.urls")),
    # Domain workspaces are wired here, in the project URLconf; portal code never imports them.
    path("workspace/councils/", include("councils.urls")),
    path("", include("portal.applications.urls")),  # /apply/… and /workspace/applications/…
    path("workspace/funds/", include("funds.urls")),
    path("talent/", include("talent.urls")),
    path("workspace/", include("portal.workspace.urls")),
    path("verify/", include("portal.opinions.urls_public")),
    path("", include("portal.pages.urls")),  # Wagtail's pages through the remembered routes; its own URLs next
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
