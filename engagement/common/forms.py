"""Form helpers every slice uses."""


def parse_id(value) -> int | None:
    """A database id typed into a URL or form, or None: only ASCII digits count ("²" and "٣"
    pass str.isdigit() but int() refuses the first, and no id is written that way)."""
    value = str(value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: field errors next to their field (when the
    form has that field), everything else in the summary at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)
