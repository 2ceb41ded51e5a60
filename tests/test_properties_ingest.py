"""Property tests (hypothesis, 25 examples each) on every ingestor and on the name normaliser.

Generated documents and tables (``tests/ingest_properties.py``: small grammars with noise mixed in)
either ingest or are refused with a ``VetgraphError``; parsing is deterministic; UTF-8 with or
without a BOM, GB18030 and UTF-16 give one graph; literals hold no control characters or lone
surrogates; every provenance line is a real, non-blank line of the input; CSV fields with quotes,
commas and newlines round-trip or their row is refused on its own line. ``bench/fuzz.py`` runs the
same checks with thousands of examples.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tests import ingest_properties as props

CI = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SUFFIXES = {"policy": (".txt", ".md"), "course-standard": (".txt", ".md"), "profile": (".md", ".txt")}


@pytest.mark.parametrize("kind", props.DOCUMENT_KINDS)
@CI
@given(data=st.data())
def test_documents_ingest_or_are_refused_with_valid_literals_and_lines(kind: str, data: st.DataObject) -> None:
    text = data.draw(props.DOCUMENT_STRATEGIES[kind])
    suffix = data.draw(st.sampled_from(SUFFIXES[kind]))
    props.check_contract(kind, text.encode("utf-8"), suffix)


@pytest.mark.parametrize("kind", props.DOCUMENT_KINDS)
@CI
@given(data=st.data())
def test_documents_parse_deterministically(kind: str, data: st.DataObject) -> None:
    props.check_deterministic(kind, data.draw(props.DOCUMENT_STRATEGIES[kind]).encode("utf-8"), ".txt")


@pytest.mark.parametrize("kind", props.DOCUMENT_KINDS)
@CI
@given(data=st.data())
def test_documents_give_one_graph_in_every_encoding(kind: str, data: st.DataObject) -> None:
    props.check_encodings(kind, data.draw(props.DOCUMENT_STRATEGIES[kind]), ".txt")


@pytest.mark.parametrize("kind", props.DOCUMENT_KINDS)
@CI
@given(data=st.data())
def test_damaged_documents_ingest_or_are_refused(kind: str, data: st.DataObject) -> None:
    raw = data.draw(props.DOCUMENT_STRATEGIES[kind]).encode(data.draw(st.sampled_from(props.ENCODINGS)))
    props.check_contract(kind, data.draw(props.mutated(raw)), ".txt")


def test_a_nul_is_refused_as_binary_in_every_encoding() -> None:
    """UTF-8 without a BOM is refused by its bytes; with a BOM or in UTF-16 the NUL shows only once decoded."""
    text = "XX市职业教育条例\n第一条 职业院校\x00应当开展校企合作。\n"
    outcomes = props.check_encodings("policy", text, ".txt")
    assert all(o.refused and o.line == 2 and "binary" in str(o.error) for o in outcomes.values()), outcomes


@pytest.mark.parametrize("control", ["\x0b", "\x0c", "\x1b", "\x7f", "\x85"])
def test_control_characters_in_a_document_become_spaces(control: str) -> None:
    text = f"XX市职业教育条例\n第一条 职业院校{control}应当开展校企合作。\n第二条{control}\n"
    outcome = props.check_contract("policy", text.encode("utf-8"), ".txt")
    assert outcome.result is not None and "职业院校 应当开展校企合作。" in " ".join(outcome.triples or [])


@pytest.mark.parametrize("kind", props.CATALOGUE_KINDS)
@CI
@given(data=st.data())
def test_csv_fields_round_trip_or_their_row_is_refused(kind: str, data: st.DataObject) -> None:
    props.check_csv_round_trip(data.draw(props.tables(kind)))


@pytest.mark.parametrize("kind", props.CATALOGUE_KINDS)
@CI
@given(data=st.data())
def test_catalogues_give_one_graph_in_every_encoding_and_as_json_lines(kind: str, data: st.DataObject) -> None:
    table = data.draw(props.tables(kind))
    text, _ = table.csv_text()
    props.check_encodings(kind, text, ".csv")
    props.check_deterministic(kind, text.encode("utf-8"), ".csv")
    assume(not props.has_line_separators(table))  # CR: see check_jsonl_matches_csv; U+2028 …: tested below
    props.check_jsonl_matches_csv(table)


@pytest.mark.parametrize("separator", ["\u2028", "\x85"])
def test_json_lines_with_a_line_separator_inside_a_string(separator: str) -> None:
    table = props.Table("majors", ["level", "code", "name", "dalei_code", "dalei_name_derived", "class_code",
                                   "class_name"],
                        [{"level": "高职专科", "code": "460702", "name": f"新能源{separator}汽车技术", "dalei_code": "46",
                          "dalei_name_derived": "装备制造大类", "class_code": "4607", "class_name": "汽车制造类"}])
    props.check_jsonl_matches_csv(table)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_nul_in_a_catalogue_is_refused_as_binary_in_every_encoding(encoding: str) -> None:
    text = ("level,code,name,dalei_code,dalei_name_derived,class_code,class_name\n"
            "高职专科,460702,新能源\x00汽车技术,46,装备制造大类,4607,汽车制造类\n")
    outcome = props.parse_bytes(props.get_ingestor("majors"), text.encode(encoding), ".csv")
    assert outcome.refused and "binary" in str(outcome.error), outcome.error


@pytest.mark.parametrize("kind", props.CATALOGUE_KINDS)
@CI
@given(data=st.data())
def test_damaged_catalogues_ingest_or_are_refused(kind: str, data: st.DataObject) -> None:
    text, _ = data.draw(props.tables(kind)).csv_text()
    raw = text.encode(data.draw(st.sampled_from(props.ENCODINGS)))
    props.check_contract(kind, data.draw(props.mutated(raw)), data.draw(st.sampled_from((".csv", ".jsonl"))),
                         controls=False)


@CI
@given(props.tables_with_controls())
def test_control_characters_in_catalogue_fields_never_reach_a_literal(generated: tuple[props.Table, str]) -> None:
    props.check_catalogue_controls(generated[0])


@CI
@given(props.names)
@example("e \u0301")  # NFKC composes the accent only once the space is gone: normalising twice changed it
@example("\u00b4")
def test_the_normaliser_is_idempotent_and_folds_full_width(name: str) -> None:
    props.check_normaliser(name)


@CI
@given(props.sentences, st.sampled_from(("L", "S", "（S）", "(L)", "L/S", " LS/")))
@example("汽车工程技术", "L")  # full-width Ｌ used to stay in the key: the marker pattern saw only half-width
def test_occupation_markers_leave_the_key_in_either_width(name: str, marker: str) -> None:
    props.check_occupation_markers(name, marker)
