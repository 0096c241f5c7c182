from django.apps import apps
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.i18n import localized
from portal.pagecache import tags
from portal.pagecache.pages import CachedPage
from portal.pagecache.restrictions import public
from portal.search.index import SegmentedSearchField, page_search_fields

from .blocks import BodyBlock, KeyFigureBlock
from .forms import PortalPageForm

NEWS_PER_PAGE = 10
HOME_LATEST_NEWS = 6
COVER_RENDITION = "fill-640x360"


def for_news_listing(queryset):
    """Live public news, newest first, with what the news cards show prefetched (constant query count)."""
    from wagtail.images import get_image_model

    return (
        public(queryset.live())
        .select_related("cover_image")
        .prefetch_related(
            "themes",
            models.Prefetch(
                "cover_image__renditions",
                queryset=get_image_model().get_rendition_model().objects.filter(filter_spec=COVER_RENDITION),
            ),
        )
        .order_by("-date", "-pk")
    )


def theme_model():
    """The theme taxonomy. Portal reaches it through the app registry, never by importing
    the themes package, so that dependencies keep pointing domains -> themes -> portal."""
    return apps.get_model("themes", "Theme")


def theme_pages(locale):
    """Live theme pages of a locale with their theme, in the taxonomy's order (for tiles)."""
    theme_page_model = apps.get_model("themes", "ThemePage")
    return list(
        public(theme_page_model.objects.live()).filter(locale=locale).select_related("theme").order_by("theme__order")
    )


def news_in_locale(locale, theme=None):
    """Live public news of one locale, newest first, ready for a listing."""
    queryset = NewsPage.objects.filter(locale=locale)
    if theme is not None:
        queryset = queryset.filter(themes=theme)
    return for_news_listing(queryset)


class HomePage(CachedPage, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    lead_story = models.ForeignKey(
        "pages.NewsPage",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown large at the top. If empty, the latest featured article is shown."),
    )
    key_figures = StreamField([("figure", KeyFigureBlock())], blank=True, verbose_name=_("key figures"))

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("lead_story"),
        FieldPanel("key_figures"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.NewsIndexPage", "pages.StandardPage", "themes.ThemeIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def cache_tags(self, request):
        return (tags.NEWS, tags.THEMES)

    def get_lead_story(self):
        if self.lead_story_id:
            story = public(NewsPage.objects.live()).filter(pk=self.lead_story_id).select_related("cover_image").first()
            if story:
                return story
        return (
            public(NewsPage.objects.live())
            .filter(locale=self.locale, featured=True)
            .select_related("cover_image")
            .order_by("-date", "-pk")
            .first()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lead = self.get_lead_story()
        latest = news_in_locale(self.locale)
        if lead:
            latest = latest.exclude(pk=lead.pk)
        context.update(
            lead_story=lead,
            latest_news=latest[:HOME_LATEST_NEWS],
            news_index=NewsIndexPage.objects.live().filter(locale=self.locale).first(),
            theme_tiles=theme_pages(self.locale),
        )
        return context


class NewsIndexPage(CachedPage, RoutablePageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NewsPage"]

    class Meta:
        verbose_name = _("news index")

    def cache_tags(self, request):
        return (tags.NEWS, tags.THEMES)

    def news(self, theme_code=None):
        queryset = NewsPage.objects.child_of(self)
        if theme_code:
            queryset = queryset.filter(themes__code=theme_code)
        return for_news_listing(queryset)

    @path("")
    def news_list(self, request):
        theme_code = request.GET.get("theme") or None
        themes = list(theme_model().objects.order_by("order", "code"))
        active_theme = next((theme for theme in themes if theme.code == theme_code), None)
        paginator = Paginator(self.news(active_theme.code if active_theme else None), NEWS_PER_PAGE)
        try:
            news_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            news_page = paginator.page(1)
        except EmptyPage:
            news_page = paginator.page(paginator.num_pages)
        return self.render(
            request,
            context_overrides={
                "news_page": news_page,
                "themes": themes,
                "active_theme": active_theme,
                "filter_query": f"theme={active_theme.code}" if active_theme else "",
            },
        )

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPage(CachedPage, Page):
    date = models.DateField(_("date"))
    themes = ParentalManyToManyField("themes.Theme", blank=True, related_name="news_pages", verbose_name=_("themes"))
    summary = models.TextField(_("summary"), max_length=400)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured = models.BooleanField(_("featured"), default=False, help_text=_("Candidate for the home page lead story."))
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("themes"), FieldPanel("featured")], heading=_("Metadata")),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("summary"),
        SegmentedSearchField("body"),
        index.FilterField("date"),
        index.FilterField("featured"),
    )
    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def cache_tags(self, request):
        return (tags.THEMES,)

    def purge_tags(self):
        # The lists it is in: all news, and each of its themes' (before and after a change: see pagecache.pages).
        return (tags.NEWS, *(tags.theme_news(theme.pk) for theme in self.themes.all()))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The news index's address is this page's less its own slug (Wagtail routes by the tree): no query for it.
        context["news_index_url"] = self.get_url(request).removesuffix(f"{self.slug}/")
        return context


class StandardPage(CachedPage, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = page_search_fields(SegmentedSearchField("intro"), SegmentedSearchField("body"))
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SiteFooterSettings(BaseSiteSetting):
    """Who runs the site and how to reach them, shown in every page footer."""

    organizer = models.CharField(_("organizer"), max_length=120, blank=True)
    organizer_en = models.CharField(_("organizer (English)"), max_length=160, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hours = models.CharField(_("service hours"), max_length=120, blank=True)
    hours_en = models.CharField(_("service hours (English)"), max_length=160, blank=True)
    icp_number = models.CharField(_("ICP licence number"), max_length=60, blank=True)
    police_record = models.CharField(_("public security record number"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("site footer")

    def localized(self, field):
        """The English variant of a field when English is active and filled in."""
        return localized(getattr(self, field), getattr(self, f"{field}_en", ""))

    @property
    def organizer_display(self):
        return self.localized("organizer")

    @property
    def address_display(self):
        return self.localized("address")

    @property
    def hours_display(self):
        return self.localized("hours")
