"""One way for tests to read a page: as the words a person sees, found by what labels them,
never by regular expressions over the exact markup."""

from bs4 import BeautifulSoup, Tag


def soup(page) -> BeautifulSoup:
    """A response, bytes or a string, parsed."""
    content = getattr(page, "content", page)
    if isinstance(content, bytes):
        content = content.decode()
    return BeautifulSoup(content, "html.parser")


def words(node) -> str:
    """The text of an element (or a whole page), with the spacing a reader sees."""
    if not isinstance(node, Tag):
        node = soup(node)
    return " ".join(node.get_text(" ", strip=True).split())


def text_of(page) -> str:
    return words(soup(page))


def labelled(page, heading_id: str) -> Tag:
    """The element (a section, a table's scroll box) labelled by the heading with this id."""
    element = soup(page).find(attrs={"aria-labelledby": heading_id})
    assert element is not None, f"nothing is labelled by #{heading_id}"
    return element


def section(page, heading_id: str) -> str:
    """The words of the section labelled by the heading with this id."""
    return words(labelled(page, heading_id))


def table_rows(node) -> list[list[str]]:
    """Each row of the (first) table in the node, as the words of its cells."""
    if not isinstance(node, Tag):
        node = soup(node)
    table = node if node.name == "table" else node.find("table")
    return [[words(cell) for cell in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


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
