"""X's weighted length and link extraction (P1)."""

from chalicelib.posts.text import extract_urls, link_domain, x_weighted_length


def test_latin_counts_one_each() -> None:
    assert x_weighted_length("a" * 280) == 280


def test_cjk_and_emoji_count_two() -> None:
    assert x_weighted_length("日本") == 4
    assert x_weighted_length("🔥") == 2
    assert x_weighted_length("a" * 139 + "日") == 141


def test_every_url_counts_23_whatever_its_length() -> None:
    short = "see https://a.co"
    long = "see https://example.com/" + "x" * 200
    assert x_weighted_length(short) == 4 + 23
    assert x_weighted_length(long) == 4 + 23
    assert x_weighted_length("go to acme.example/menu now") == len("go to ") + 23 + len(" now")


def test_urls_extracted_without_trailing_punctuation() -> None:
    urls = extract_urls("New menu: https://acme.example/menu. And www.acme.example!")
    assert urls == ["https://acme.example/menu", "www.acme.example"]


def test_mail_addresses_are_not_links() -> None:
    assert extract_urls("write to press@acme.example") == []


def test_link_domain() -> None:
    assert link_domain("https://Shop.Acme.Example/x?y=1") == "shop.acme.example"
    assert link_domain("acme.example/x") == "acme.example"
