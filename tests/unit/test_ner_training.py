"""Training-side helpers: NewsFANE's classes onto ANERcorp's."""

from marsad.nlp import train


def test_newsfane_classes_map_as_anercorp_annotates_the_same_text():
    assert train.map_fane("B-Politician") == "B-PERS"
    assert train.map_fane("I-Police") == "I-PERS"  # officers by name
    assert train.map_fane("B-Nation") == "B-LOC"
    assert train.map_fane("B-Non-Governmental") == "B-ORG"
    assert train.map_fane("B-Group") == "O"  # peoples: الفلسطينيين
    assert train.map_fane("B-Building-Grounds") == "O"
    assert train.map_fane("B-Book") == "B-MISC"
    assert train.map_fane("O") == "O"
