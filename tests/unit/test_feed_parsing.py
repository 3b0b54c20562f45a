import pytest

from agents.sources.base import SourceError, parse_date
from agents.sources.rss import parse_feed, parse_feed_document

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>اختبار</title>
  <id>urn:marsad:test</id>
  <updated>2026-11-20T08:00:00Z</updated>
  <entry>
    <id>urn:marsad:test:1</id>
    <title>اشتباكات في عدن</title>
    <link href="https://e.org/aden?utm_source=atom"/>
    <updated>2026-11-20T08:00:00Z</updated>
    <content type="html">&lt;p&gt;اندلعت اشتباكات في عدن.&lt;/p&gt;</content>
  </entry>
</feed>"""


def test_sample_feed_items_become_articles(sample_feed_bytes):
    items = parse_feed(sample_feed_bytes, feed="sample-ar", outlet="marsad-sample")
    assert len(items) == 25
    first = items[0]
    assert first.key.startswith("marsad-sample-libya-1#")
    assert first.article.source == "marsad-sample"
    assert "قنفودة" in first.article.title
    assert first.article.published_at == "2026-11-20T06:00:00+00:00"
    assert not first.article.published_at_estimated


def test_same_guid_with_changed_text_is_a_new_item_key():
    changed = ATOM.replace("اندلعت اشتباكات في عدن.", "اندلعت اشتباكات عنيفة في عدن.")
    (a,) = parse_feed(ATOM.encode(), feed="atom", outlet="o")
    (b,) = parse_feed(changed.encode(), feed="atom", outlet="o")
    assert a.key != b.key and a.article.id == b.article.id


def test_same_link_with_tracking_parameters_gives_same_article_id(sample_feed_bytes):
    items = {i.key.split("#")[0]: i for i in parse_feed(sample_feed_bytes, feed="s", outlet="o")}
    assert items["marsad-sample-iraq-1"].article.id == items["marsad-sample-iraq-1-again"].article.id
    assert items["marsad-sample-iraq-1"].article.id != items["marsad-sample-iraq-1-wire"].article.id


def test_atom_entry_content_and_canonical_url():
    (item,) = parse_feed(ATOM.encode(), feed="atom", outlet="o")
    assert item.key.startswith("urn:marsad:test:1#")
    assert "اشتباكات" in item.article.body
    assert item.article.canonical_url == "https://e.org/aden"


def test_undeclared_windows_1256_feed_is_decoded():
    body = ATOM.replace('encoding="utf-8"', "").encode("windows-1256")
    (item,) = parse_feed(body, feed="cp1256", outlet="o")
    assert item.article.title == "اشتباكات في عدن"


def test_malformed_feed_without_items_is_one_clear_error():
    with pytest.raises(SourceError, match="malformed feed"):
        parse_feed(b"<rss version='2.0'><channel><<<title>x</ti", feed="bad", outlet="o")


def test_malformed_feed_keeps_the_items_it_has_and_says_so():
    doc = parse_feed_document(
        "<rss version='2.0'><channel><item><title>خبر عاجل</title></item><item><title>ثان</chan".encode(),
        feed="bad", outlet="o",
    )
    assert [i.article.title for i in doc.items if i.article] == ["خبر عاجل"]
    assert doc.problem.startswith("malformed feed,")


def test_empty_body_is_one_clear_error():
    with pytest.raises(SourceError, match="empty"):
        parse_feed(b"   \n", feed="empty", outlet="o")


def test_html_page_is_not_a_feed():
    with pytest.raises(SourceError):
        parse_feed(b"<html><body><p>hello</p></body></html>", feed="html", outlet="o")


def test_bytes_that_decode_to_no_arabic_are_refused():
    # Not UTF-8; in Windows-1256 these bytes are Latin letters, not Arabic: nothing to trust.
    body = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item><title>\xe0\xe2\xe7\xe8\xe9 \xe0\xe2</title></item></channel></rss>'
    with pytest.raises(SourceError):
        parse_feed(body, feed="broken", outlet="o")


@pytest.mark.parametrize(
    "value, iso",
    [
        ("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T21:35:43+04:00"),
        ("2018-02-18T17:35:43Z", "2018-02-18T17:35:43+00:00"),
        ("2018-02-18", "2018-02-18T00:00:00+00:00"),
    ],
)
def test_parse_date_reads_rss_and_iso_forms(value, iso):
    assert parse_date(value).isoformat() == iso


def test_parse_date_gives_none_for_garbage():
    assert parse_date("yesterday-ish") is None
    assert parse_date(None) is None
