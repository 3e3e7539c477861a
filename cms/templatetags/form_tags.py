from django import template

register = template.Library()


@register.simple_tag
def widget(field, **attrs):
    """Render a bound field's widget with its hint and error ids in aria-describedby."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(field) -> bool:
    return field.widget_type in {"radioselect", "checkboxselectmultiple"}


@register.filter
def is_checkbox(field) -> bool:
    return field.widget_type == "checkbox"
