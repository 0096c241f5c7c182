from .views import (
    admissions,
    deliberations,
    filing,
    introductions,
    libraries,
    notices,
    public,
    roadshows,
    schedule,
    service_requests,
    special,
    special_reports,
)

app_name = "talent"
# Each part of the talent programmes declares its own URLs (public pages under /talent/, the office's and the
# teams' workspace under /talent/office/ and /talent/my/).
urlpatterns = []
SECTIONS = (
    public,
    admissions,
    schedule,
    libraries,
    introductions,
    service_requests,
    roadshows,
    special,
    deliberations,
    notices,
    filing,
    special_reports,
)
for section in SECTIONS:
    urlpatterns += section.urlpatterns
