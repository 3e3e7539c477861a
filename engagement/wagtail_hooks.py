"""The stakeholder group's manager workspace: each slice registers its viewsets and hooks in its
admin module, imported here so that Wagtail finds them; and the stakeholder group's demo."""

from wagtail import hooks

from engagement.consultations import admin as _consultations_admin  # noqa: F401
from engagement.involvement import admin as _involvement_admin  # noqa: F401
from engagement.membership import admin as _membership_admin  # noqa: F401


@hooks.register("load_demo")
def load_demo_engagement(context):
    from engagement import demo

    return demo.build(context)
