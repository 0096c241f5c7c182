from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")

    def ready(self):
        from portal.pagecache import tags
        from portal.pagecache.watch import watch

        watch(self.get_model("Theme"), lambda theme: (tags.THEMES, tags.theme(theme.pk)), moves=False)
