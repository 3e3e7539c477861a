"""One way for tests to read a page: as the words a person sees, found by what labels them,
never by regular expressions over the exact markup."""

from bs4 import BeautifulSoup, Tag


def soup(page) -> BeautifulSoup:
    """A response, bytes or a string, parsed."""
    content = getattr(page, "content", page)
    if isinstance(content, bytes):
        content = content.decode()
    return BeautifulSoup(content, "html.parser")


def parsed(node) -> Tag:
    """An element as it is, anything else (a response, bytes, a string) parsed."""
    return node if isinstance(node, Tag) else soup(node)


def words(node) -> str:
    """The text of an element (or a whole page), with the spacing a reader sees."""
    return " ".join(parsed(node).get_text(" ", strip=True).split())


def text_of(page) -> str:
    return words(soup(page))


def labelled(page, heading_id: str) -> Tag:
    """The element (a section, a table's scroll box) labelled by the heading with this id."""
    element = parsed(page).find(attrs={"aria-labelledby": heading_id})
    assert element is not None, f"nothing is labelled by #{heading_id}"
    return element


def section(page, heading_id: str) -> str:
    """The words of the section labelled by the heading with this id."""
    return words(labelled(page, heading_id))


def table_rows(node) -> list[list[str]]:
    """Each row of the (first) table in the node, as the words of its cells."""
    node = parsed(node)
    table = node if node.name == "table" else node.find("table")
    return [[words(cell) for cell in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


def captioned(page, caption: str) -> Tag:
    """The table whose caption starts with these words."""
    for element in parsed(page).find_all("caption"):
        if words(element).startswith(caption):
            return element.find_parent("table")
    raise AssertionError(f"no table captioned {caption!r}")


def field(page, name: str) -> Tag:
    """The (first) form control with this name."""
    element = parsed(page).find(["input", "textarea", "select"], attrs={"name": name})
    assert element is not None, f"no field named {name}"
    return element


def field_value(page, name: str) -> str | None:
    """What the field with this name holds: a textarea's text, the checked radio button's or
    box's value, the selected option's value, an input's value (None: nothing checked)."""
    first = field(page, name)
    if first.name == "textarea":
        return first.get_text().strip()
    if first.name == "select":
        option = first.find("option", selected=True)
        return option["value"] if option else None
    if first.get("type") in ("radio", "checkbox"):
        controls = parsed(page).find_all("input", attrs={"name": name})
        checked = [control["value"] for control in controls if control.has_attr("checked")]
        return checked[0] if checked else None
    return first.get("value")


def saved_message(page, place: str) -> str:
    """The words of the confirmation shown beside the form saved at `place` (the element a
    redirect to #<place>-saved opens on): a status message that can take focus, and nowhere
    in the list of messages at the top of the page."""
    page = soup(page)
    message = page.find(id=f"{place}-saved")
    assert message is not None, f"no confirmation at #{place}-saved"
    assert message.get("role") == "status"
    assert message.get("tabindex") == "-1"
    top = page.find(class_="messages")
    assert top is None or words(message) not in words(top)
    return words(message)
