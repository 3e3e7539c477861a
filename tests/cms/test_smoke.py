import pytest


@pytest.mark.django_db
def test_every_page_type_renders(client, site_tree):
    for key in [
        "home",
        "news_index",
        "news",
        "prototype_index",
        "prototype",
        "event_index",
        "event",
        "about",
    ]:
        response = client.get(site_tree[key].url)
        assert response.status_code == 200, key
        assert site_tree[key].title.encode() in response.content or key == "home"
