"""Nothing shown to a role leads to 403 (or 500): every link and every GET form on every page, as
every role, is followed and must answer. A button a role may not use must not be shown to it."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from tests.crawl.test_crawl import EVERY_ROLE, url_for
from tests.crawl.urls import PUBLIC, page_url_names

PAGE_NAMES = [name for name in page_url_names() if name not in PUBLIC]


class _Targets(HTMLParser):
    """The same-site addresses a page offers: <a href> and the action of each GET form."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.targets.add(attributes["href"])
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self.targets.add(attributes.get("action") or "")


def offered_links(page_url: str, html: str) -> set[str]:
    parser = _Targets()
    parser.feed(html)
    links = set()
    for target in parser.targets:
        address = urljoin(page_url, target.split("#", 1)[0])
        parts = urlsplit(address)
        same_site = parts.scheme in ("", "http") and parts.netloc in ("", "testserver")
        if same_site and not parts.path.startswith("/static/"):
            links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


@pytest.mark.parametrize("username", EVERY_ROLE)
def test_no_link_or_get_form_leads_to_403(client, world, username):
    user = world.users[username]
    client.force_login(user)
    logout = reverse("accounts:logout")
    followed: dict[str, int] = {}
    broken = []
    for name in PAGE_NAMES:
        page = url_for(world, name, "a")
        response = client.get(page)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue  # pages the role may not open are checked elsewhere (tests/crawl)
        for link in sorted(offered_links(page, response.content.decode())):
            if link.startswith(logout):
                continue
            if link not in followed:
                followed[link] = client.get(link).status_code
                client.force_login(user)  # in case the link ended the session
            if followed[link] in (403, 500):
                broken.append(f"{name} → {link}: {followed[link]}")
    assert len(followed) > 3, "the walk found no links at all"
    assert broken == [], f"{username} is shown links that refuse or fail:\n" + "\n".join(broken)
