from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.i18n import Localized
from portal.pagecache import tags
from portal.pagecache.pages import CachedPage
from portal.pagecache.restrictions import public
from portal.pages.blocks import BodyBlock
from portal.pages.forms import PortalPageForm
from portal.pages.models import NewsIndexPage, news_in_locale
from portal.search.index import SegmentedSearchField, page_search_fields

from .sections import render_sections

THEME_NEWS_COUNT = 6


class Theme(models.Model):
    """An industry or policy theme (专题): the taxonomy councils, the fund, talent and news share."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Stable identifier, never shown."))
    name_zh = models.CharField(_("Chinese name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=80)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f4e8c",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))],
        help_text=_("Dark enough for white text on it (WCAG AA)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    name = Localized("name_zh", "name_en")
    description = Localized("description_zh", "description_en")


class ThemeIndexPage(CachedPage, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = PortalPageForm
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["themes.ThemePage"]

    class Meta:
        verbose_name = _("theme index")

    def cache_tags(self, request):
        return (tags.THEMES,)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["theme_pages"] = (
            public(ThemePage.objects.child_of(self).live()).select_related("theme").order_by("theme__order")
        )
        return context


class ThemePage(CachedPage, Page):
    """The public page of one theme: its news now; its council, fund, opinions and calls via sections."""

    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="pages")
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("theme"), FieldPanel("intro"), FieldPanel("body")]
    base_form_class = PortalPageForm
    search_fields = page_search_fields(SegmentedSearchField("intro"), SegmentedSearchField("body"))
    parent_page_types = ["themes.ThemeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("theme page")

    def cache_tags(self, request):
        # Its sections (council, fund, talent) add their own tags while they render.
        return (tags.THEMES, tags.theme(self.theme_id), tags.theme_news(self.theme_id), tags.ORGANIZATIONS)

    def purge_tags(self):
        return (tags.THEMES,)

    def clean(self):
        super().clean()
        # One page per theme and language (locale lives on the Page table, so no DB constraint).
        duplicates = ThemePage.objects.filter(theme_id=self.theme_id, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.theme_id and duplicates.exists():
            raise ValidationError({"theme": _("This theme already has a page in this language.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = news_in_locale(self.locale, theme=self.theme)
        context.update(
            theme_news=news[:THEME_NEWS_COUNT],
            news_count=news.count(),
            organization_count=self.theme.organizations.filter(is_industry=True).count(),
            news_index=NewsIndexPage.objects.live().filter(locale=self.locale).first(),
            sections=render_sections(self.theme, self, request),
        )
        return context
