import pytest

from agents.feeds import FeedConfigError, load_feeds
from marsad.settings import REPO_ROOT


def test_bundled_feeds_file_loads():
    feeds = load_feeds(REPO_ROOT / "deploy" / "feeds.yaml")
    assert feeds[0].name == "sample-ar" and feeds[0].url.startswith("http://127.0.0.1")


@pytest.mark.parametrize(
    "text, message",
    [
        ("feeds: 3", "top-level 'feeds:' list"),
        ("feeds:\n  - name: a\n    url: http://x\n", "lacks outlet"),
        ("feeds:\n  - {name: a, url: 'file:///x', outlet: o}\n", "http or https"),
        ("feeds:\n  - {name: a, url: 'http://x', outlet: o}\n  - {name: a, url: 'http://y', outlet: o}\n", "twice"),
        ("feeds: [", "not valid YAML"),
    ],
)
def test_bad_feeds_file_names_the_problem(tmp_path, text, message):
    p = tmp_path / "feeds.yaml"
    p.write_text(text)
    with pytest.raises(FeedConfigError, match=message):
        load_feeds(p)
