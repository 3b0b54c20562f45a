from agents.state import AgentState


def test_published_items_are_remembered_across_restarts(tmp_path):
    path = tmp_path / "agents.sqlite"
    st = AgentState(path)
    assert st.unpublished("f", ["a", "b"]) == {"a", "b"}
    st.mark_published("f", [("a", "id-a")])
    st.close()
    st = AgentState(path)
    assert st.unpublished("f", ["a", "b"]) == {"b"}
    assert st.unpublished("other-feed", ["a"]) == {"a"}
    st.close()


def test_feed_health_counts_items_and_errors(tmp_path):
    st = AgentState(tmp_path / "s.sqlite")
    st.record_fetch("f", status="200 ok", new_items=3, etag='"e"', last_modified="lm")
    st.record_fetch("f", status="error", error="timed out")
    (h,) = st.health()
    assert (h.total_items, h.errors, h.last_error, h.new_items) == (3, 1, "timed out", 0)
    assert st.validators("f") == ('"e"', "lm")
    st.close()
