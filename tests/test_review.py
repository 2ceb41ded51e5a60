"""Human review on the demo corpus: decisions by IRI, links made by hand, listing, export / import, bulk export."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.align import review_ops
from kg.align.alignments import Link
from kg.align.review_ops import add_human_link, export_reviews, import_reviews, record_review, review_link
from kg.align.reviews import latest_decisions
from kg.align.suggest import suggest
from kg.cli.main import cli
from kg.core import iris
from kg.core.terms import VET
from kg.errors import VetgraphError
from kg.export.alignments import COLUMNS
from kg.store.home import Home
from tests.conftest import ROOT

MAJOR = iris.major("590302").value  # 智慧健康养老服务与管理: its profile states three certificates
ELDERLY_CARE = iris.certificate("老年照护职业技能等级证书").value
MATERNAL_CARE = iris.certificate("母婴护理职业技能等级证书").value  # stated by no profile of the corpus
STATED = iris.alignment(MAJOR, ELDERLY_CARE, "major-certificate").value
TEXT_INDUSTRY = iris.alignment(MAJOR, iris.industry("65").value, "major-industry-text").value  # stored, proposed
HUMAN = iris.alignment(MAJOR, MATERNAL_CARE, "major-certificate").value
REVIEWS = f"<{iris.REVIEW_GRAPH}>"


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(home), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of corpus/, so a test can change a source and ingest it again (and put it back)."""
    copy = tmp_path_factory.mktemp("review") / "corpus"
    shutil.copytree(ROOT / "corpus", copy)
    return copy


@pytest.fixture(scope="module")
def demo_home(corpus: Path) -> Path:
    """The corpus ingested once for this module; tests that write use a copy (``home``)."""
    home = corpus.parent / "home"
    result = run(home, "ingest", str(corpus))
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def home(demo_home: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(demo_home, copy)
    return copy


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """One second later at every review, so two decisions in one test never share a time."""
    ticks = (f"2026-12-02T01:{n // 60:02d}:{n % 60:02d}Z" for n in itertools.count())
    monkeypatch.setattr(review_ops, "utc_now", lambda: next(ticks))


def suggested(home: Path, *args: str) -> list[dict[str, object]]:
    result = run(home, "align", "suggest", "--major", "590302", "--top", "50", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def alignments_of(items: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {item["alignment"]: item for item in items}


# -- decisions by IRI ------------------------------------------------------------------------------
def test_a_rejected_stated_link_leaves_suggest_and_stays_out_after_align_and_reingest(home: Path,
                                                                                     corpus: Path) -> None:
    assert STATED in alignments_of(suggested(home))
    result = run(home, "review", STATED, "--reject", "--reviewer", "王老师", "--note", "方向不符")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"rejected {STATED} (by 王老师 at 2026-12-02T01:00:00Z)")
    assert STATED not in alignments_of(suggested(home))
    assert run(home, "align").exit_code == 0
    assert STATED not in alignments_of(suggested(home))
    assert not Home(home).open_reader().ask(f"ASK {{ <{STATED}> a vet:Alignment }}")  # linking dropped it
    again = run(home, "ingest", str(corpus))
    assert again.exit_code == 0 and "0 added, 0 replaced" in again.output
    assert STATED not in alignments_of(suggested(home))
    profile = corpus / "profiles" / "public-services-elderly-care.md"
    text = profile.read_text(encoding="utf-8")
    try:  # a changed profile is parsed again and linking runs again over the whole store
        profile.write_text(text + "\n", encoding="utf-8")
        changed = run(home, "ingest", str(profile))
        assert changed.exit_code == 0 and "1 replaced" in changed.output
    finally:
        profile.write_text(text, encoding="utf-8")
    assert STATED not in alignments_of(suggested(home))
    assert latest_decisions(Home(home).open_reader()) == {STATED: "rejected"}


def test_an_accepted_proposed_link_shows_accepted_in_suggest(home: Path) -> None:
    assert alignments_of(suggested(home, "--type", "Industry"))[TEXT_INDUSTRY]["status"] == "proposed"
    assert run(home, "review", TEXT_INDUSTRY, "--accept").exit_code == 0
    assert alignments_of(suggested(home, "--type", "Industry"))[TEXT_INDUSTRY]["status"] == "accepted"
    assert run(home, "align").exit_code == 0
    assert alignments_of(suggested(home, "--type", "Industry"))[TEXT_INDUSTRY]["status"] == "accepted"


def test_the_latest_decision_wins_and_the_earlier_one_is_kept(home: Path) -> None:
    assert run(home, "review", STATED, "--reject").exit_code == 0
    assert run(home, "review", "--reviewer", "李老师", STATED, "--accept").exit_code == 0  # options on either side
    store = Home(home).open_reader()
    assert latest_decisions(store) == {STATED: "accepted"}
    assert len(store.select(f"SELECT ?r WHERE {{ GRAPH {REVIEWS} {{ ?r vet:reviewOf <{STATED}> }} }}")) == 2
    assert alignments_of(suggested(home))[STATED]["status"] == "accepted"


@pytest.mark.parametrize(("args", "says"), [
    ([STATED], "give one of --accept or --reject"),
    ([STATED, "--accept", "--reject"], "give one of --accept or --reject"),
    ([STATED, "--accept", "--json"], "--status and --json go with --list"),
    (["not-an-iri", "--accept"], "'not-an-iri' is neither a command (add) nor an alignment IRI"),
    ([], "give an alignment IRI with --accept or --reject"),
    (["--note", "x", "add", "--from", MAJOR, "--to", MATERNAL_CARE], "after its name"),
])
def test_bad_review_options_are_one_usage_line(tmp_path: Path, args: list[str], says: str) -> None:
    result = run(tmp_path / "home", "review", *args)
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output
    assert not (tmp_path / "home").exists()


def test_the_cli_choices_are_the_library_values() -> None:
    from kg.align.reviews import DECISIONS
    from kg.cli import review

    assert (review.DECISIONS, review.STRENGTHS) == (DECISIONS, review_ops.STRENGTHS)


def test_an_iri_that_is_no_stored_alignment_is_refused(home: Path) -> None:
    computed = iris.alignment(MAJOR, MATERNAL_CARE, "major-certificate-text").value
    result = run(home, "review", computed, "--reject")
    assert result.exit_code == 1 and "is not an alignment in this store" in result.output
    assert "vetgraph review add" in result.output
    assert not list(Home(home).open_reader().quads(graph=iris.REVIEW_GRAPH))


def test_two_decisions_at_one_time_are_refused(home: Path) -> None:
    with Home(home).writer() as store:
        record_review(store, STATED, "accepted", "a", "", "2026-12-02T08:00:00Z")
        with pytest.raises(VetgraphError, match="already has a review at 2026-12-02T08:00:00Z"):
            record_review(store, STATED, "rejected", "b", "", "2026-12-02T08:00:00Z")
        with pytest.raises(VetgraphError, match="not an xsd:dateTime with a time zone"):
            record_review(store, STATED, "rejected", "b", "", "2026-12-02 08:00")
        with pytest.raises(VetgraphError, match="unknown review decision 'maybe'"):
            record_review(store, STATED, "maybe", "b", "", "2026-12-02T08:00:01Z")


# -- computed suggestions and links made by hand ---------------------------------------------------
def test_a_reviewed_computed_suggestion_carries_its_link(home: Path) -> None:
    with Home(home).writer() as store:
        text = next(s for s in suggest(store, MAJOR, node_type="Major", top=50) if s.method == "text")
        link = Link(kind=text.alignment.removeprefix(iris.ALIGNMENTS).split("/")[0], source=MAJOR, target=text.iri,
                    method=text.method, resolved_by=text.resolved_by, score=text.score, strength=text.strength,
                    status=text.status, label=f"智慧健康养老服务与管理 → {text.label}")
        assert link.iri == text.alignment
        recorded = review_link(store, link, "rejected", "王老师", "只是字面相近")
        assert recorded.link_written
        assert store.ask(f"ASK {{ GRAPH {REVIEWS} {{ <{link.iri}> a vet:Alignment ; vet:method 'text' }} }}")
        assert text.alignment not in {s.alignment for s in suggest(store, MAJOR, node_type="Major", top=50)}
    assert text.alignment not in alignments_of(suggested(home))


def test_review_add_makes_a_human_link_that_suggest_shows(home: Path) -> None:
    assert HUMAN not in alignments_of(suggested(home))
    result = run(home, "review", "add", "--from", MAJOR, "--to", MATERNAL_CARE, "--strength", "major",
                 "--note", "母婴护理方向")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"added human link {HUMAN}")
    found = alignments_of(suggested(home))[HUMAN]
    assert (found["iri"], found["method"], found["resolved_by"], found["status"], found["strength"], found["score"]) == \
        (MATERNAL_CARE, "human", "human", "accepted", "major", 1.0)
    assert run(home, "align").exit_code == 0
    assert alignments_of(suggested(home))[HUMAN]["method"] == "human"
    assert run(home, "validate").exit_code == 0


def test_review_add_of_a_stored_link_only_accepts_it(home: Path) -> None:
    result = run(home, "review", "add", "--from", MAJOR, "--to", ELDERLY_CARE)
    assert result.exit_code == 0 and result.stdout.startswith(f"accepted the link the store holds: {STATED}")
    store = Home(home).open_reader()
    assert not store.ask(f"ASK {{ GRAPH {REVIEWS} {{ <{STATED}> ?p ?o }} }}")  # no second node
    assert latest_decisions(store) == {STATED: "accepted"}


def test_review_add_refuses_unknown_pairs_missing_nodes_and_strengths(home: Path) -> None:
    with Home(home).writer() as store:
        with pytest.raises(VetgraphError, match=r"cannot link Certificate → Major by hand; known: Major → Certificate"):
            add_human_link(store, ELDERLY_CARE, MAJOR)
        with pytest.raises(VetgraphError, match="no node <.*/major/999999> in the store"):
            add_human_link(store, iris.major("999999").value, ELDERLY_CARE)
        with pytest.raises(VetgraphError, match="unknown strength 'huge'; known: exact, major, minor, broad, narrow"):
            add_human_link(store, MAJOR, ELDERLY_CARE, "huge")
    result = run(home, "review", "add", "--from", "major/590302", "--to", ELDERLY_CARE)
    assert result.exit_code == 2 and "is not an IRI" in result.output


# -- listing ---------------------------------------------------------------------------------------
def test_review_list_json_gives_the_latest_decision_per_alignment(home: Path) -> None:
    run(home, "review", STATED, "--accept", "--reviewer", "a")
    run(home, "review", STATED, "--reject", "--reviewer", "王老师", "--note", "方向不符")
    run(home, "review", "add", "--from", MAJOR, "--to", MATERNAL_CARE, "--reviewer", "李老师")
    result = run(home, "review", "--list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)  # stdout holds the JSON alone
    assert [row["alignment"] for row in rows] == [STATED, HUMAN]
    assert rows[0] == {"alignment": STATED, "source": MAJOR, "source_label": "智慧健康养老服务与管理",
                       "target": ELDERLY_CARE, "target_label": "老年照护职业技能等级证书",
                       "kind": "major-certificate", "method": "stated", "decision": "rejected", "reviewer": "王老师",
                       "at": "2026-12-02T01:00:01Z", "note": "方向不符"}
    assert rows[1]["method"] == "human" and rows[1]["decision"] == "accepted"
    rejected = json.loads(run(home, "review", "--list", "--status", "rejected", "--json").stdout)
    assert [row["alignment"] for row in rejected] == [STATED]
    assert run(home, "align").exit_code == 0  # the rejected link is gone from the graph; its review still says what
    assert json.loads(run(home, "review", "--list", "--status", "rejected", "--json").stdout)[0]["target_label"] == \
        "老年照护职业技能等级证书"
    table = run(home, "review", "--list")
    assert "rejected" in table.stdout and "智慧健康养老服务与管理 → 老年照护职业技能等级证书" in table.stdout
    assert "2 reviewed alignments" in table.output


# -- export and import -----------------------------------------------------------------------------
def test_reviews_travel_to_a_fresh_store_and_win_there(home: Path, demo_home: Path, tmp_path: Path) -> None:
    run(home, "review", STATED, "--reject", "--note", "方向不符")
    run(home, "review", TEXT_INDUSTRY, "--accept")
    run(home, "review", "add", "--from", MAJOR, "--to", MATERNAL_CARE)
    exported = tmp_path / "reviews.nq"
    assert run(home, "export", "reviews", "--output", str(exported)).exit_code == 0
    assert not exported.with_name("reviews.nq.part").exists()
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and all(line.endswith(f"{REVIEWS} .") for line in lines)

    fresh = tmp_path / "fresh"
    shutil.copytree(demo_home, fresh)  # a store built from the same corpus, never reviewed
    result = run(fresh, "import", "reviews", str(exported))
    assert result.exit_code == 0 and f"{len(lines)} new review statements imported" in result.stdout
    assert latest_decisions(Home(fresh).open_reader()) == latest_decisions(Home(home).open_reader())
    assert "0 new review statements imported" in run(fresh, "import", "reviews", str(exported)).stdout
    assert run(fresh, "export", "reviews").stdout_bytes == exported.read_bytes()
    assert run(fresh, "align").exit_code == 0
    links = alignments_of(suggested(fresh))
    assert STATED not in links and links[HUMAN]["method"] == "human"


@pytest.mark.parametrize(("bad", "says"), [
    (f'<{MAJOR}> <http://www.w3.org/2000/01/rdf-schema#label> "x" <https://w3id.org/vetgraph/graph/other> .',
     "not the review graph"),
    (f'<{MAJOR}> <http://www.w3.org/2000/01/rdf-schema#label> "x" .', "the default graph"),
    (f'<{MAJOR}> <http://www.w3.org/2000/01/rdf-schema#label> "x" {REVIEWS} .', "is not a vet:Review or vet:Alignment"),
    (f"<{MAJOR}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{VET}Alignment> {REVIEWS} .",
     "an alignment IRI starts with"),
    (f'<{HUMAN}> <http://www.w3.org/2004/02/skos/core#prefLabel> "x" {REVIEWS} .', "does not take"),
    ("_:b <http://www.w3.org/2000/01/rdf-schema#label> \"x\" " + REVIEWS + " .", "blank nodes"),
    ("this is not a quad", "not an N-Quads statement"),
])
def test_import_refuses_a_file_with_a_foreign_line_naming_it(home: Path, tmp_path: Path, bad: str, says: str) -> None:
    with Home(home).writer() as store:
        add_human_link(store, MAJOR, MATERNAL_CARE)
        good = export_reviews(store).decode("utf-8").splitlines()
    path = tmp_path / "reviews.nq"
    path.write_text("\n".join([*good[:2], bad, *good[2:]]) + "\n", encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(home, fresh)
    before = len(list(Home(fresh).open_reader().quads(graph=iris.REVIEW_GRAPH)))
    result = run(fresh, "import", "reviews", str(path))
    assert result.exit_code == 1
    assert f"error: {path}:3: " in result.output and says in result.output, result.output
    assert len(list(Home(fresh).open_reader().quads(graph=iris.REVIEW_GRAPH))) == before  # all or nothing


def test_import_refuses_a_review_that_changes_its_decision(home: Path) -> None:
    with Home(home).writer() as store:
        record_review(store, STATED, "accepted", "a", "", "2026-12-02T09:00:00Z")
        flipped = export_reviews(store).replace(b'"accepted"', b'"rejected"')
        with pytest.raises(VetgraphError, match=r"reviews:\d+: review <.*> already says accepted"):
            import_reviews(store, flipped)
        assert latest_decisions(store) == {STATED: "accepted"}


def test_export_alignments_csv_has_bom_chinese_header_and_review_status(home: Path, tmp_path: Path) -> None:
    run(home, "review", STATED, "--reject")
    output = tmp_path / "alignments.csv"
    result = run(home, "export", "alignments", "--format", "csv", "--output", str(output))
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS == ("对齐IRI", "类型", "来源", "来源名称", "目标", "目标名称", "方法", "解析方式",
                                         "得分", "强度", "审核状态", "证据")
    body = {row[0]: dict(zip(COLUMNS, row)) for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == sorted(body)
    assert body[STATED]["审核状态"] == "rejected" and body[STATED]["来源名称"] == "智慧健康养老服务与管理"
    assert body[TEXT_INDUSTRY]["审核状态"] == "proposed" and body[TEXT_INDUSTRY]["类型"] == "major-industry-text"
    assert run(home, "export", "alignments", "--format", "csv").stdout_bytes == data  # deterministic


def test_export_alignments_nq_is_every_alignment_statement_sorted(home: Path) -> None:
    run(home, "review", "add", "--from", MAJOR, "--to", MATERNAL_CARE)
    result = run(home, "export", "alignments", "--format", "nq")
    lines = result.stdout.splitlines()
    assert lines == sorted(lines) and any(line.startswith(f"<{HUMAN}>") for line in lines)
    nodes = {row["a"] for row in Home(home).open_reader().select("SELECT ?a WHERE { ?a a vet:Alignment }")}
    assert {line.split(" ", 1)[0][1:-1] for line in lines} == nodes
    assert "statements written" in result.output


def test_a_label_that_starts_with_a_formula_is_neutralised(home: Path) -> None:
    certificate = "https://w3id.org/vetgraph/id/certificate/formula"
    with Home(home).writer() as store:
        store.update(f'INSERT DATA {{ GRAPH <https://w3id.org/vetgraph/graph/test> {{ <{certificate}> a vet:Certificate ; '
                     f'skos:prefLabel "=HYPERLINK(\\"http://evil\\")"@zh }} }}')
        add_human_link(store, MAJOR, certificate)
    text = run(home, "export", "alignments", "--format", "csv").stdout_bytes.decode("utf-8-sig")
    row = next(row for row in csv.reader(io.StringIO(text)) if row[4] == certificate)
    assert row[5] == "'=HYPERLINK(\"http://evil\")"


def test_a_rejected_pair_is_not_offered_again_by_another_kind_of_suggestion(tmp_path: Path) -> None:
    """Rejecting 590302 -> 老年照护 (stated) keeps the pair out of the text and peer suggestions too."""
    from kg.align.review_ops import record_review
    from kg.align.suggest import find_certificate, suggest
    from kg.core import iris
    from kg.pipeline.run import ingest
    from kg.store.home import Home

    home = Home(tmp_path / "home")
    ingest(home, [ROOT / "corpus"])
    major = iris.major("590302").value
    store = home.open_reader()
    certificate = find_certificate(store, "老年照护")
    stated = next(s for s in suggest(store, major, node_type="Major", top=50) if s.iri == certificate)
    with home.writer() as writer:
        record_review(writer, stated.alignment or "", "rejected", "tester", "", "2026-12-02T10:00:00Z")
    after = suggest(home.open_reader(), major, node_type="Major", top=1000)
    assert certificate not in {s.iri for s in after}
