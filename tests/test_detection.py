"""No kind is a catch-all: each claims a document on positive evidence, and the refusal says why each declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.base import Evidence
from ingest.course_standard.detection import course_standard_evidence
from ingest.policy.ingestor import detect_policy, policy_evidence
from ingest.readers import read_blocks, read_lines
from ingest.registry import choose_ingestor
from kg.errors import UnknownKindError
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests.conftest import ROOT, require_shared
from tests.layouts import (
    MEETING_NOTE, MISSING_CONTENT, NO_COURSE_NAME, PLAIN_ARTICLE, PROFILE_LIKE, TEXTBOOK_CHAPTER, write,
)

CORPUS = ROOT / "corpus"


def _refusal(path: Path) -> str:
    with pytest.raises(UnknownKindError) as caught:
        choose_ingestor(path)
    return str(caught.value)


def test_evidence_claims_at_its_score_and_says_what_it_found() -> None:
    evidence = Evidence("policy", (("the title 「…办法」", 3), ("numbered provisions", 1)), 4, "a title")
    assert (evidence.score, evidence.claims) == (4, True)
    weak = Evidence("policy", (("numbered provisions", 1),), 4, "a title naming a policy instrument")
    assert not weak.claims
    assert weak.declined() == ("too little evidence (score 1 of 4: found numbered provisions; "
                               "looked for a title naming a policy instrument)")
    assert Evidence("policy", (), 4, "x").found() == "nothing"


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".md", ".txt"])
@pytest.mark.parametrize(("blocks", "policy_reason"), [
    (MEETING_NOTE, "not policy: it is a meeting note (时间、地点、主持人、参会人员、记录人)"),
    (TEXTBOOK_CHAPTER, "not policy: it is a textbook chapter (第三章 直流电路的分析方法 … 学习目标、本章小结、习题)"),
    (PLAIN_ARTICLE, "not policy: too little evidence (score 1 of 4: found numbered provisions;"),
], ids=["meeting-note", "textbook-chapter", "plain-article"])
def test_look_alikes_are_refused_with_each_kind_and_its_reason(blocks: list[tuple], policy_reason: str, suffix: str,
                                                               tmp_path: Path) -> None:
    path = write(blocks, tmp_path / f"doc{suffix}")
    message = _refusal(path)
    assert message.startswith(f"{path}: no ingestor recognises this file (")
    assert policy_reason in message
    assert "not course-standard: too little evidence (score " in message
    assert ("not profile: no 专业代码 / 专业名称 block" in message) == (suffix != ".pdf")  # profiles are never PDFs
    assert "\n" not in message


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".md"])
@pytest.mark.parametrize(("blocks", "reason"), [
    (MISSING_CONTENT, "《电工基础》 looks like a course standard but has no 课程内容 (no content section or content table) "
                      "and no 知识/能力/素质目标 items"),
    (NO_COURSE_NAME, "a course standard needs the course's name: no basic information found: expected 课程名称 with "
                     "课程代码, 学时 or 学分 before the content, and no title or cover names the course (《…》课程标准)"),
], ids=["missing-content", "no-course-name"])
def test_a_course_standard_missing_a_required_part_is_rejected_not_made_a_policy(
        blocks: list[tuple], reason: str, suffix: str, tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    path = write(blocks, folder / f"standard{suffix}")
    assert choose_ingestor(path).kind == "course-standard"
    assert detect_policy(path).startswith("it is a course standard (")
    home = Home(tmp_path / "home")
    report = ingest(home, [folder])
    [outcome] = report.files
    assert outcome.status == "rejected" and outcome.reason == f"{path}: {reason}"
    assert home.open_reader().select("SELECT ?d WHERE { ?d a vet:PolicyDocument }") == []


def test_a_profile_with_a_malformed_code_is_no_policy_and_no_profile(tmp_path: Path) -> None:
    path = tmp_path / "5401旅游类.md"
    path.write_text(PROFILE_LIKE, encoding="utf-8")
    message = _refusal(path)
    assert "not policy: it has a 专业简介 profile's sections (职业面向, 培养目标定位, 主要专业能力要求)" in message
    assert "not profile: no 专业代码 / 专业名称 block" in message


def test_numbered_text_is_a_policy_only_under_a_title_naming_an_instrument(tmp_path: Path) -> None:
    body = ["一、总体要求", "各院校要加强专业建设。", "二、工作安排", "（一）4月底前完成自查。"]
    titled = tmp_path / "self-check.md"
    titled.write_text("\n\n".join(["# 关于开展专业建设自查工作的通知", *body]), encoding="utf-8")
    assert choose_ingestor(titled).kind == "policy"
    untitled = tmp_path / "untitled.md"
    untitled.write_text("\n\n".join(["# 专业建设自查", *body]), encoding="utf-8")
    assert "not policy: too little evidence (score 1 of 4" in _refusal(untitled)


def test_a_policy_about_course_standards_and_teaching_reform_is_still_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "opinion.md"
    path.write_text("\n\n".join([
        "# 关于加强职业院校课程标准建设的指导意见", "一、总体要求", "（一）指导思想 全面贯彻党的教育方针，落实立德树人根本任务。",
        "二、加强课程标准建设", "（二）各院校应当对接职业标准，完善课程标准。", "三、考核评价改革",
        "（三）推进过程性考核与终结性考核相结合。", "四、教学内容与方法改革", "（四）推动教学内容对接新技术。",
        "五、教学条件保障", "（五）加强组织领导。"]), encoding="utf-8")
    assert choose_ingestor(path).kind == "policy"
    evidence = course_standard_evidence(read_blocks(path))
    assert evidence.score == 3 and not evidence.claims  # three course-standard-like headings, nothing more


def test_the_real_policies_are_policies_on_evidence() -> None:
    files = sorted(p for p in require_shared("policy").iterdir() if p.is_file())
    assert len(files) == 11
    for path in files:
        assert choose_ingestor(path).kind == "policy", path.name
        evidence = policy_evidence(read_lines(path))
        assert any(clue.startswith("the title") for clue, _ in evidence.clues), (path.name, evidence.found())


def test_every_real_profile_file_is_a_profile() -> None:
    files = sorted(require_shared("profiles").glob("*.md"))
    assert len(files) > 200
    assert [p.name for p in files if choose_ingestor(p).kind != "profile"] == []


def test_the_demo_corpus_keeps_its_kinds() -> None:
    for path in sorted((CORPUS / "policy").iterdir()):
        assert choose_ingestor(path).kind == "policy", path.name
    standards = [p for p in (CORPUS / "course_standards").rglob("*")
                 if p.suffix in (".docx", ".pdf", ".md", ".txt") and p.stem != "README"]
    assert len(standards) >= 10
    for path in standards:
        assert choose_ingestor(path).kind == "course-standard", path.name
        assert detect_policy(path).startswith("it is a course standard ("), path.name


def test_the_demo_corpus_ingests_cleanly(tmp_path: Path) -> None:
    report = ingest(Home(tmp_path / "home"), [CORPUS])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    skipped = sorted(Path(f.path).name for f in report.files if f.status == "skipped")
    assert all(name.endswith((".py", ".json")) or name == "README.md" for name in skipped), skipped
    kinds = {Path(f.path).name: f.kind for f in report.files if f.status == "added"}
    assert sum(kind == "course-standard" for kind in kinds.values()) == 10
    assert sum(kind == "policy" for kind in kinds.values()) == 3
