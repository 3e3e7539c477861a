"""Base views for the pages a viewset adds beyond Wagtail's own (a consultation's results, a
questionnaire's analysis, a campaign's poster). A viewset builds them with `construct_view`,
which hands over its model and URL names; Wagtail's PermissionCheckedMixin then checks
`permission_required` against the model's permission policy before anything is read."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.chooser import BaseChooser

from engagement.common.forms import parse_id


class ModelPageView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A page of a viewset's model, in the admin's layout."""

    model = None
    index_url_name = None
    header_icon = ""
    permission_required = "view"

    def user_can(self, action: str) -> bool:
        return self.user_has_permission(action)

    def get_breadcrumbs_items(self):
        """Home › the model's listing › this page (its title, and what it is about), as
        Wagtail's own views show them."""
        items = list(self.breadcrumbs_items)
        if self.model is not None and self.index_url_name:
            items.append(
                {
                    "url": reverse(self.index_url_name),
                    "label": capfirst(self.model._meta.verbose_name_plural),
                }
            )
        items.extend(self.get_object_breadcrumbs())
        items.append(
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}
        )
        return items

    def get_object_breadcrumbs(self) -> list[dict]:
        return []


class ObjectPageView(ModelPageView):
    """A page about the one object named by the URL's pk (404 when there is none)."""

    object_queryset = None  # optional: a queryset to look it up in (select_related, ...)
    inspect_url_name = None  # given by the viewset: the object's own page, for breadcrumbs
    edit_url_name = None

    def get_object_breadcrumbs(self) -> list[dict]:
        url_name = self.inspect_url_name or self.edit_url_name
        url = reverse(url_name, args=[self.object.pk]) if url_name else ""
        return [{"url": url, "label": str(self.object)}]

    def get_page_subtitle(self):
        return ""  # the object is named in the breadcrumbs

    @cached_property
    def object(self):
        queryset = self.object_queryset if self.object_queryset is not None else self.model
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}


class ObjectActionView(ObjectPageView):
    """A button's POST on one object: `act()` calls a service; its ValidationError becomes an
    error message, anything else a success message; either way back to `get_success_url()`."""

    http_method_names = ["post"]
    permission_required = "change"

    def act(self) -> str:
        """Do it; return the success message."""
        raise NotImplementedError

    def get_success_url(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            message = self.act()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(self.get_success_url())


# More inline forms than any real consultation has (features, polls, answers).
MAX_INLINE_FORMS = 1000


def _chooser_keys(form_class, prefix: str) -> list[re.Pattern]:
    """Patterns of the posted names of every chooser in the form and in its inline forms, at
    any depth (features-3-image, polls-0-choices-1-...)."""

    def key(name):
        return f"{prefix}-{name}" if prefix else name

    patterns = [
        re.compile(re.escape(key(name)))
        for name, field in form_class.base_fields.items()
        if isinstance(field.widget, BaseChooser)
    ]
    for name, formset_class in getattr(form_class, "formsets", {}).items():
        child = _chooser_keys(formset_class.form, f"{key(name)}-__n__")
        patterns += [re.compile(p.pattern.replace(re.escape("__n__"), r"\d+")) for p in child]
    return patterns


def without_forged_ids(data, form_class, prefix=None):
    """A copy of posted `data` in which every id that cannot be one (only a forged post sends
    such) is made harmless before Wagtail's and modelcluster's code reads it: a chooser's value
    (in the form or in an inline form) becomes 0 (no row has it: "Select a valid choice"); an
    inline form's id becomes 0 too (not one of the rows: the form is refused, so a forged id
    never turns an existing row into a copy); a count of inline forms that cannot be one is
    dropped (the formset says its data was tampered with); and each existing inline form named
    by INITIAL_FORMS has an id key (modelcluster looks it up without a default)."""
    data = data.copy()
    choosers = _chooser_keys(form_class, prefix or "")
    for key in list(data.keys()):
        is_id = key.endswith("-id") or any(p.fullmatch(key) for p in choosers)
        if is_id and any(v and parse_id(v) is None for v in data.getlist(key)):
            data.setlist(key, ["0"])
    for key in list(data.keys()):
        if key.endswith("-INITIAL_FORMS"):
            initial = parse_id(data.get(key))
            if initial is None or initial > MAX_INLINE_FORMS:
                data.setlist(key, [""])
                continue
            formset = key.removesuffix("-INITIAL_FORMS")
            for i in range(initial):
                data.setdefault(f"{formset}-{i}-id", "0")
    return data


class SafeAdminModelForm(WagtailAdminModelForm):
    """Wagtail's admin form, answering a forged post (ids that cannot be ids, inline forms
    without theirs) with the form's own errors instead of a server error."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = without_forged_ids(data, type(self), kwargs.get("prefix"))
        super().__init__(data, *args, **kwargs)
