"""Closing the loop ("you said, we did"): the outcomes index, an outcome page per consultation
with the changes made because of it (each linked to the feedback behind it and the app version
where it landed), and the notices telling participants."""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import SIMPLE_RICH_TEXT, PrototypePage, PrototypeScreen, paginate
from engagement.consultations.models import Consultation, Feature
from engagement.membership.models import Member
from feedback.questionnaires.models import Item


class OutcomeIndexPage(Page):
    """ "You said, we did": the outcomes of consultations."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["feedback.OutcomePage"]
    max_count = 1
    template = "outcomes/outcome_index_page.html"

    class Meta:
        verbose_name = _("outcomes index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = OutcomePage.objects.live().public().child_of(self).order_by("-first_published_at")
        context["items"] = paginate(request, items)
        return context


class OutcomePage(Page):
    """What we asked, who took part, what we heard (live from the consultation) and what we
    changed, each change linked to the feedback behind it and the app version where it landed."""

    # Its findings come live from the consultation (new reviews, the manager's decisions), which
    # no publish announces: never served from the page cache (cms/page_cache.py).
    page_cache = False

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="outcome_pages",
    )
    summary = models.TextField(_("summary"), max_length=400)
    what_we_asked = RichTextField(_("what we asked"), features=SIMPLE_RICH_TEXT, blank=True)
    reflections = RichTextField(
        _("reflections: what went well, what did not"),
        features=SIMPLE_RICH_TEXT,
        blank=True,
        help_text=_("Used in the GRIPP2 report (critical reflection)."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("consultation"),
        FieldPanel("summary"),
        FieldPanel("what_we_asked"),
        InlinePanel("changes", heading=_("What we changed"), label=_("Change")),
        FieldPanel("reflections"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["feedback.OutcomeIndexPage"]
    subpage_types: list[str] = []
    template = "outcomes/outcome_page.html"

    class Meta:
        verbose_name = _("outcome page (you said, we did)")

    def get_context(self, request, *args, **kwargs):
        from feedback.outcomes.findings import findings

        context = super().get_context(request, *args, **kwargs)
        context["findings"] = findings(self.consultation)
        context["changes"] = self.changes.select_related("app_version").prefetch_related(
            "features", "items", "screens"
        )
        return context


class OutcomeChange(ClusterableModel, Orderable):
    page = ParentalKey(OutcomePage, related_name="changes", on_delete=models.CASCADE)
    title = models.CharField(_("what we changed"), max_length=200)
    description = models.TextField(_("more detail"), max_length=1000, blank=True)
    app_version = models.ForeignKey(
        PrototypePage,
        verbose_name=_("app version where it landed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    features = ParentalManyToManyField(
        Feature, verbose_name=_("because of votes on"), blank=True, related_name="+"
    )
    items = ParentalManyToManyField(
        Item,
        verbose_name=_("because of feedback on questionnaire items"),
        blank=True,
        related_name="+",
    )
    screens = ParentalManyToManyField(
        PrototypeScreen,
        verbose_name=_("because of comments on prototype screens"),
        blank=True,
        related_name="+",
    )
    quote = models.TextField(
        _("a member's words (only from members who agreed to be quoted)"),
        max_length=500,
        blank=True,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("app_version"),
        FieldPanel("features", widget=forms.CheckboxSelectMultiple),
        FieldPanel("items"),
        FieldPanel("screens"),
        FieldPanel("quote"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("change")

    def __str__(self) -> str:
        return self.title


class OutcomeNotice(models.Model):
    """A member who took part was told about an outcome ("you said, we did"): sent once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="outcome_notices")
    page = models.ForeignKey(OutcomePage, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("outcome notice")
        constraints = [
            models.UniqueConstraint(fields=["member", "page"], name="outcome_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.page}"
