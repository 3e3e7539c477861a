"""Wagtail pages: home, standard pages, news, prototypes (with screens) and events; the site's
settings. The "you said, we did" pages live with the rest of closing the loop, in
feedback/outcomes/."""

from dataclasses import dataclass
from http import HTTPMethod
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import page_cache
from .blocks import BodyBlock, FooterLinkBlock

SIMPLE_RICH_TEXT = ["bold", "italic", "link", "ul", "ol"]
INDEX_PAGE_SIZE = 12


def paginate(request, queryset, per_page=INDEX_PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(1)


def embed_host_allowed(url: str) -> bool:
    """True when url is https and its host is on settings.PROTOTYPE_EMBED_HOSTS."""
    if not url:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and host in {h.lower() for h in settings.PROTOTYPE_EMBED_HOSTS}


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(_("hero image alternative text"), max_length=250, blank=True)
    intro = RichTextField(_("introduction"), features=SIMPLE_RICH_TEXT, blank=True)
    featured_prototype = models.ForeignKey(
        "cms.PrototypePage",
        verbose_name=_("featured prototype"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    join_heading = models.CharField(
        _("join heading"), max_length=120, default=_("Join our stakeholder group")
    )
    join_text = models.TextField(_("join text"), max_length=500, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        FieldPanel("featured_prototype"),
        MultiFieldPanel([FieldPanel("join_heading"), FieldPanel("join_text")], heading=_("Join")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("intro"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.NewsIndexPage",
        "cms.PrototypeIndexPage",
        "cms.EventIndexPage",
        "feedback.OutcomeIndexPage",  # feedback/outcomes: "you said, we did"
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_image_alt:
            raise ValidationError({"hero_image_alt": _("Describe the hero image.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live().public().select_related("image").order_by("-date", "-pk")[:3]
        )
        context["upcoming_events"] = (
            EventPage.objects.live()
            .public()
            .filter(end__gte=timezone.now())
            .order_by("start", "pk")[:3]
        )
        return context


class StandardPage(Page):
    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = (
            NewsPage.objects.live()
            .public()
            .child_of(self)
            .select_related("image")
            .order_by("-date", "-pk")
        )
        context["items"] = paginate(request, items)
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=400)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("image alternative text"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news page")

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt:
            raise ValidationError(
                {"image_alt": _("Describe the image for people who cannot see it.")}
            )


class PrototypeIndexPage(Page):
    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PrototypePage"]
    max_count = 1

    class Meta:
        verbose_name = _("prototype index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = (
            PrototypePage.objects.live()
            .public()
            .child_of(self)
            .order_by("-first_published_at", "-pk")
        )
        context["items"] = paginate(request, items)
        return context


class PrototypePage(Page):
    class Status(models.TextChoices):
        IN_DESIGN = "in_design", _("In design")
        IN_REVIEW = "in_review", _("In review")
        ARCHIVED = "archived", _("Archived")

    version_label = models.CharField(_("version"), max_length=30, help_text=_("For example v0.3"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_DESIGN
    )
    summary = models.TextField(_("summary"), max_length=600)
    changes = RichTextField(
        _("what changed since the last version"), features=SIMPLE_RICH_TEXT, blank=True
    )
    prototype_url = models.URLField(
        _("interactive prototype link"),
        blank=True,
        help_text=_("Shown in a sandboxed frame only for hosts on the allow-list."),
    )
    video_url = models.URLField(_("video link"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("version_label"), FieldPanel("status")]),
        FieldPanel("summary"),
        FieldPanel("changes"),
        InlinePanel("screens", heading=_("Screens"), label=_("Screen"), min_num=0),
        MultiFieldPanel(
            [FieldPanel("prototype_url"), FieldPanel("video_url")], heading=_("Interactive")
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("changes"),
        index.SearchField("version_label"),
        index.FilterField("status"),
        index.RelatedFields(
            "screens", [index.SearchField("title"), index.SearchField("description")]
        ),
    ]
    parent_page_types = ["cms.PrototypeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("prototype page")

    def clean(self):
        super().clean()
        if self.prototype_url and not embed_host_allowed(self.prototype_url):
            raise ValidationError(
                {
                    "prototype_url": _(
                        "This site is not on the allow-list for embedded prototypes. "
                        "Allowed: %(hosts)s (https only)."
                    )
                    % {"hosts": ", ".join(settings.PROTOTYPE_EMBED_HOSTS)}
                }
            )

    @property
    def prototype_embed_allowed(self) -> bool:
        return embed_host_allowed(self.prototype_url)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["screens"] = self.screens.select_related("image").all()
        return context


class PrototypeScreen(Orderable):
    page = ParentalKey(PrototypePage, related_name="screens", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=120)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the screen shows for people who cannot see it."),
    )
    description = models.TextField(_("description"), max_length=1000, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("image"),
        FieldPanel("alt_text"),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("screen")
        verbose_name_plural = _("screens")

    def clean(self):
        super().clean()
        if self.image_id and not self.alt_text:
            raise ValidationError({"alt_text": _("Describe what the screen shows.")})

    def __str__(self) -> str:
        return self.title


class EventIndexPage(Page):
    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("event index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().public().child_of(self)
        now = timezone.now()
        context["upcoming"] = events.filter(end__gte=now).order_by("start", "pk")
        context["past"] = paginate(request, events.filter(end__lt=now).order_by("-start", "-pk"))
        return context


# What an event page shows that cms cannot know itself (it imports neither engagement nor
# feedback): engagement's registration form and places left (engagement/events).
# "event_page_panels": fn(request, page) -> None (nothing to add), a PagePanel, or an
#     HttpResponse that answers the request instead of the page (where to go after a form
#     posted to the page was saved). Called for every request the page serves, GET or POST.
EVENT_PANELS = "event_page_panels"


@dataclass(frozen=True)
class PagePanel:
    """A section another app adds to a page: its HTML (rendered, safe), an optional line for
    the page's summary at the top (`summary_label`: `summary_html`), and the status the page
    answers with (400 when it shows a form with errors). A page showing a panel is never
    stored by the page cache: what a panel says (places left) changes without a publish."""

    html: str
    summary_label: str = ""
    summary_html: str = ""
    status: int = 200


class EventPage(Page):
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.TextField(_("address"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    description = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("venue"),
        FieldPanel("address"),
        FieldPanel("summary"),
        FieldPanel("description"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("venue"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("start"),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []
    # A registration form posts to the page itself.
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS, HTTPMethod.POST]

    class Meta:
        verbose_name = _("event page")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event cannot end before it starts.")})

    def panels_for(self, request) -> list[PagePanel] | HttpResponseBase:
        """The panels other apps add (EVENT_PANELS), or the response one of them answers with."""
        panels = []
        for fn in hooks.get_hooks(EVENT_PANELS):
            result = fn(request, self)
            if isinstance(result, HttpResponseBase):
                return result
            if result is not None:
                panels.append(result)
        return panels

    def serve(self, request, *args, **kwargs):
        panels = self.panels_for(request)
        if isinstance(panels, HttpResponseBase):
            return panels
        if panels:
            page_cache.do_not_store(request)
        request.is_preview = False
        context = self.get_context(request, *args, **kwargs)
        context["panels"] = panels
        return TemplateResponse(
            request,
            self.get_template(request, *args, **kwargs),
            context,
            status=max((panel.status for panel in panels), default=200),
        )

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        panels = self.panels_for(request) if self.pk else []  # a preview is always a GET
        context["panels"] = [] if isinstance(panels, HttpResponseBase) else panels
        return context


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    organisation_name = models.CharField(_("organisation name"), max_length=200, default="PPIE Hub")
    contact_email = models.EmailField(_("contact email"), blank=True)
    footer_links = StreamField(
        [("link", FooterLinkBlock())], verbose_name=_("footer links"), blank=True
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("contact_email"),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = _("site settings")
