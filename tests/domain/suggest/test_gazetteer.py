import pytest

from annotator.domain.suggest import (
    STARTER_GAZETTEER,
    GazetteerEntry,
    gazetteer_entry,
    suggest_from_gazetteer,
)

ENTRIES = [
    ("Idlib", "LOCATION", (), {"feature_type": "governorate"}),
    ("Hayat Tahrir al-Sham", "ACTOR", ("Hay'at Tahrir al-Sham", "HTS"), {"actor_type": "rebel"}),
    ("ISIS", "ACTOR", ("Islamic State", "IS")),
    ("pro-Assad forces", "ACTOR", ("pro-Assad",)),
    ("White Helmets", "ACTOR"),
    ("Syria Civil Defence", "ACTOR", ("Civil Defence",)),
    ("Ma'arat al-Num'an", "LOCATION", ("Maarat al-Numan",)),
]


def found(text, entries=ENTRIES):
    return [(text[s.start : s.end], s.label) for s in suggest_from_gazetteer(text, entries)]


def test_names_and_aliases_are_found_with_their_label():
    assert found("HTS and Hayat Tahrir al-Sham took Idlib.") == [
        ("HTS", "ACTOR"),
        ("Hayat Tahrir al-Sham", "ACTOR"),
        ("Idlib", "LOCATION"),
    ]


def test_only_whole_words_match():
    assert found("Idlibi traders and HTSX; Pre-Idlib") == [("Idlib", "LOCATION")]


def test_acronyms_match_only_as_written():
    assert found("This is what IS fighters did.") == [("IS", "ACTOR")]


def test_a_name_matches_with_its_first_letter_in_either_case_and_no_looser():
    assert found("Pro-Assad forces shelled it; the white Helmets came.") == [
        ("Pro-Assad forces", "ACTOR"),
        ("white Helmets", "ACTOR"),
    ]
    assert found("civil defence centers were hit") == []


def test_the_longest_match_wins_and_matches_never_overlap():
    text = "pro-Assad forces and the pro-Assad bombardment"
    assert found(text) == [("pro-Assad forces", "ACTOR"), ("pro-Assad", "ACTOR")]


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_either_apostrophe_matches_and_the_text_is_kept_as_written(apostrophe):
    text = f"Hay{apostrophe}at Tahrir al-Sham held Ma{apostrophe}arat al-Num{apostrophe}an."
    assert found(text) == [
        (f"Hay{apostrophe}at Tahrir al-Sham", "ACTOR"),
        (f"Ma{apostrophe}arat al-Num{apostrophe}an", "LOCATION"),
    ]


def test_a_location_is_the_name_only_and_the_kind_of_place_sets_its_feature_type():
    text = "Idlib Province, Idlib city, the city of Idlib"
    suggestions = suggest_from_gazetteer(text, ENTRIES)
    assert [text[s.start : s.end] for s in suggestions] == ["Idlib", "Idlib", "Idlib"]
    assert [s.attributes["feature_type"] for s in suggestions] == [
        "governorate",
        "populated_place",
        "populated_place",
    ]


def test_an_alias_with_the_kind_of_place_still_gives_the_name_only():
    text = "Shelling hit Idlib Province."
    [suggestion] = suggest_from_gazetteer(text, [("Idlib", "LOCATION", ("Idlib Province",))])
    assert text[suggestion.start : suggestion.end] == "Idlib"
    assert suggestion.attributes == {"feature_type": "governorate"}


def test_a_suggestion_carries_the_entrys_attributes_and_names_it():
    [suggestion] = suggest_from_gazetteer("HTS said", ENTRIES)
    assert suggestion.attributes == {"actor_type": "rebel"}
    assert suggestion.reason == "gazetteer: HTS (Hayat Tahrir al-Sham)"


def test_entries_come_as_plain_tuples_or_entries():
    assert gazetteer_entry(("UN", "ACTOR")) == GazetteerEntry("UN", "ACTOR")
    with pytest.raises(ValueError, match="LOCATION or an ACTOR"):
        gazetteer_entry(("Idlib", "CASUALTY_FIGURE"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hama Province", ("Hama", "LOCATION", "feature_type", "governorate")),
        ("Deir ez-Zor", ("Deir ez-Zor", "LOCATION", "feature_type", "governorate")),
        ("the Assad regime", ("Assad regime", "ACTOR", "actor_type", "syrian_government")),
        ("Syrian government forces", (None, "ACTOR", "actor_type", "syrian_government")),
        ("regime forces", (None, "ACTOR", "actor_type", "syrian_government")),
        ("Russian forces", (None, "ACTOR", "actor_type", "foreign_state")),
        ("HTS", (None, "ACTOR", "actor_type", "rebel")),
        ("the SDF", ("SDF", "ACTOR", "actor_type", "kurdish_sdf")),
        ("Daesh", (None, "ACTOR", "actor_type", "other")),
        ("Islamic State", (None, "ACTOR", "actor_type", "other")),
        ("Syria Civil Defence", (None, "ACTOR", "actor_type", "civil_defence_medical")),
        ("SOHR", (None, "ACTOR", "actor_type", "monitor_ngo")),
        ("the UN said", ("UN", "ACTOR", "actor_type", "international_org")),
        ("Moscow and Ankara announced", ("Moscow", "ACTOR", "actor_type", "foreign_state")),
    ],
)
def test_the_starter_gazetteer_knows_syrias_places_and_parties(text, expected):
    name, label, attribute, value = expected
    first = suggest_from_gazetteer(text, STARTER_GAZETTEER)[0]
    assert text[first.start : first.end] == (name or text)
    assert (first.label, first.attributes[attribute]) == (label, value)


def test_the_starter_gazetteer_has_the_14_governorates():
    governorates = {
        entry.name
        for entry in STARTER_GAZETTEER
        if entry.label == "LOCATION" and entry.name != "Syria"
    }
    assert {
        "Damascus",
        "Rif Dimashq",
        "Aleppo",
        "Homs",
        "Hama",
        "Latakia",
        "Tartus",
        "Idlib",
        "Raqqa",
        "Deir ez-Zor",
        "Hasakah",
        "Daraa",
        "Suwayda",
        "Quneitra",
    } <= governorates
