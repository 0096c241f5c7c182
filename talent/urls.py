from .views import admissions, introductions, libraries, public, roadshows

app_name = "talent"
# Each part of the talent programmes declares its own URLs (public pages under /talent/, the office's and the
# teams' workspace under /talent/office/ and /talent/my/).
urlpatterns = []
for section in (public, admissions, libraries, introductions, roadshows):
    urlpatterns += section.urlpatterns
