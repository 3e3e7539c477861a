"""The stakeholder group's manager workspace: each slice registers its viewsets and hooks in its
admin module, imported here so that Wagtail finds them; and the stakeholder group's demo."""

from wagtail import hooks

from engagement.consultations import admin as _consultations_admin  # noqa: F401
from engagement.consultations import selectors as consultations_selectors
from engagement.consultations import services as consultations_services
from engagement.equality import admin as _equality_admin  # noqa: F401
from engagement.events import admin as _events_admin  # noqa: F401
from engagement.ideas import selectors as ideas_selectors
from engagement.ideas import services as ideas_services
from engagement.involvement import admin as _involvement_admin  # noqa: F401
from engagement.involvement import selectors as involvement_selectors
from engagement.involvement import services as involvement_services
from engagement.membership import admin as _membership_admin  # noqa: F401
from engagement.membership import hooks as membership_hooks


@hooks.register("load_demo")
def load_demo_engagement(context):
    from engagement import demo

    return demo.build(context)


# What the other engagement slices hold about a member (their data page and download), and
# the free text they erase (leaving, retention).
hooks.register(membership_hooks.MEMBER_DATA, consultations_selectors.member_data)
hooks.register(membership_hooks.MEMBER_DATA, involvement_selectors.member_data)
hooks.register(membership_hooks.MEMBER_DATA, ideas_selectors.member_data)
hooks.register(membership_hooks.ERASE_FREE_TEXT, consultations_services.erase_free_text)
hooks.register(membership_hooks.ERASE_FREE_TEXT, ideas_services.erase_free_text)
# Leaving: what finance must keep is copied apart before the name and email go.
hooks.register(membership_hooks.MEMBER_LEAVING, involvement_services.keep_for_finance)
