"""The NLP commands through click's CliRunner: extract, ner, eval ner."""

import json

from click.testing import CliRunner

from marsad.nlp.commands import eval_group, extract_command, ner_command


def test_extract_reads_plain_text_with_published_at():
    r = CliRunner().invoke(
        extract_command,
        ["--published-at", "2016-03-03T09:00:00+02:00", "--compact"],
        input="أعلن الجيش أمس الأربعاء استعادة السيطرة على منطقة قنفودة غربي بنغازي.",
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["mentions"][0]["type"] == "battle.territory"
    assert out["mentions"][0]["event_date"] == "2016-03-02"


def test_extract_reads_article_json():
    art = {
        "id": "abc",
        "source": "x",
        "title": "غارة على سرت",
        "body": "قتل 3 أشخاص في غارة جوية على سرت أمس.",
        "published_at": "2016-03-03T09:00:00+00:00",
    }
    r = CliRunner().invoke(extract_command, ["--compact"], input=json.dumps(art, ensure_ascii=False))
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["article_id"] == "abc"
    assert any(m["fatalities"] == 3 for m in out["mentions"])


def test_ner_prints_token_tag_lines_per_sentence():
    r = CliRunner().invoke(ner_command, input="وصل\nالوفد\nإلى\nمدينة\nبنغازي\nأمس\n.\n\nقال\nفايز\nالسراج\n")
    assert r.exit_code == 0, r.output
    blocks = [b for b in r.stdout.strip().split("\n\n")]
    assert len(blocks) == 2
    lines = blocks[0].splitlines()
    assert lines[4].split() == ["بنغازي", "B-LOC"]
    assert all(len(line.split()) == 2 for b in blocks for line in b.splitlines())


def test_eval_ner_scores_exact_spans(tmp_path):
    gold = tmp_path / "gold.txt"
    gold.write_text("وصل O\nالوفد O\nإلى O\nمدينة O\nبنغازي B-LOC\nأمس O\n. O\n", encoding="utf-8")
    r = CliRunner().invoke(eval_group, ["ner", str(gold), "--json"])
    assert r.exit_code == 0, r.output
    scores = json.loads(r.stdout)
    assert scores["per_type"]["LOC"]["tp"] == 1
    assert scores["overall"]["f1"] == 1.0
