from __future__ import annotations

import pytest

from intent.data import DataFormatError, Example, load_examples, stratified_split, write_csv


def test_csv_with_aliases_and_lowercase(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("utterance,intent,extra\nWhere IS my order,track_order,x\n,empty,y\nhi,greet,z\n")
    assert load_examples(p) == [Example("Where IS my order", "track_order"), Example("hi", "greet")]
    assert load_examples(p, lowercase=True)[0].text == "where is my order"


def test_csv_without_label_column_is_rejected(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("foo,bar\na,b\n")
    with pytest.raises(DataFormatError, match="label column"):
        load_examples(p)


def test_rasa_yaml_strips_entity_annotations(tmp_path):
    p = tmp_path / "nlu.yml"
    p.write_text(
        'version: "3.1"\nnlu:\n- intent: track_order\n  examples: |\n'
        "    - where is order [ORD-1](order_number)\n"
        '    - status of [ORD-2]{"entity": "order_number"}\n'
        "- synonym: x\n  examples: |\n    - y\n"
    )
    assert load_examples(p) == [
        Example("where is order ORD-1", "track_order"),
        Example("status of ORD-2", "track_order"),
    ]


def test_rasa_yaml_without_nlu_key_is_rejected(tmp_path):
    p = tmp_path / "nlu.yml"
    p.write_text("stories: []\n")
    with pytest.raises(DataFormatError, match="nlu"):
        load_examples(p)


def test_seq_directory_and_length_mismatch(tmp_path):
    d = tmp_path / "split"
    d.mkdir()
    (d / "seq.in").write_text("wake me up\nplay jazz\n")
    (d / "label").write_text("alarm_set\nplay_music\n")
    assert [e.label for e in load_examples(d)] == ["alarm_set", "play_music"]
    (d / "label").write_text("alarm_set\n")
    with pytest.raises(DataFormatError, match="2 lines"):
        load_examples(d)


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(DataFormatError, match="no such file"):
        load_examples(tmp_path / "nope.csv")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(DataFormatError, match="unknown format"):
        load_examples(tmp_path / "x.json")


def test_stratified_split_keeps_every_label_and_is_deterministic(tmp_path):
    data = [Example(f"{label} {i}", label) for label in "abc" for i in range(10)]
    kept, held = stratified_split(data, 0.2, seed=1)
    assert len(held) == 6 and len(kept) == 24
    assert {e.label for e in held} == {"a", "b", "c"}
    assert not set(kept) & set(held)
    assert stratified_split(data, 0.2, seed=1) == (kept, held)
    write_csv(held, tmp_path / "h.csv")
    assert load_examples(tmp_path / "h.csv") == held
