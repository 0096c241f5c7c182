from .views import admissions, introductions, libraries, public, roadshows, schedule, service_requests

app_name = "talent"
# Each part of the talent programmes declares its own URLs (public pages under /talent/, the office's and the
# teams' workspace under /talent/office/ and /talent/my/).
urlpatterns = []
for section in (public, admissions, schedule, libraries, introductions, service_requests, roadshows):
    urlpatterns += section.urlpatterns
