"""The app's words: Chinese first, English when the sidebar's switch says so.

``t(key, **values)`` looks a string up in the language of this session; a key missing from STRINGS
raises KeyError at once (a typo is a bug, not an empty label).
"""

from __future__ import annotations

import streamlit as st

LANGUAGE_KEY = "vetgraph_language"
LANGUAGES = ("zh", "en")

#: key -> (Chinese, English). Placeholders are str.format fields.
STRINGS: dict[str, tuple[str, str]] = {
    # punctuation
    "colon": ("：", ": "),
    "comma": ("、", ", "),
    "semicolon": ("；", "; "),
    # the shell
    "app.title": ("VETgraph 职业教育知识图谱", "VETgraph: a knowledge graph of vocational education"),
    "nav.search": ("检索", "Search"),
    "nav.entity": ("实体", "Entity"),
    "nav.policy": ("政策", "Policy"),
    "sidebar.language": ("界面语言", "Language"),
    "sidebar.store": ("图谱", "Store"),
    "sidebar.sources": ("来源文件", "Source files"),
    "sidebar.classes": ("类", "Classes"),
    "sidebar.class": ("类", "class"),
    "sidebar.count": ("数量", "count"),
    "sidebar.index": ("检索索引", "Search index"),
    "sidebar.index_ready": ("{nodes} 个节点 · {model}", "{nodes} nodes · {model}"),
    "sidebar.no_index": ("尚未建立", "not built yet"),
    # what is missing
    "missing.store": ("`{root}` 中的图谱是空的。先导入示例语料：\n\n"
                      "`vetgraph ingest corpus/`（或 `make demo`），然后刷新本页。",
                      "The store at `{root}` is empty. Ingest the demo corpus first:\n\n"
                      "`vetgraph ingest corpus/` (or `make demo`), then reload this page."),
    "missing.index": ("还没有检索索引：运行 `vetgraph index` 建立（测试或离线时可用 `vetgraph index --model fake`），"
                      "然后刷新本页。在此之前可以按类浏览。",
                      "No search index yet: build it with `vetgraph index` (`vetgraph index --model fake` for tests "
                      "or offline), then reload. Until then, browse by class below."),
    "missing.catalogues": ("图谱中还没有目录数据（专业、行业、职业、证书）：`vetgraph ingest corpus/catalogues/`。",
                           "The store holds no catalogues (majors, industries, occupations, certificates) yet: "
                           "`vetgraph ingest corpus/catalogues/`."),
    "missing.policy": ("图谱中还没有政策文件：`vetgraph ingest corpus/policy/`。",
                       "No policy documents in this store yet: `vetgraph ingest corpus/policy/`."),
    "missing.encoder": ("无法加载向量模型（{error}）：仅用关键词检索。", "The embedding model cannot load ({error}): "
                        "searching by keywords only."),
    "error.store": ("无法打开图谱：{error}", "Cannot open the store: {error}"),
    # search
    "search.header": ("检索", "Search"),
    "search.box": ("检索专业、课程、证书、职业、行业、政策条款……", "Search majors, courses, certificates, occupations, "
                   "industries, policy provisions…"),
    "search.placeholder": ("如：新能源汽车、养老护理、460702", "e.g. 新能源汽车, elderly care, 460702"),
    "search.classes": ("类", "Classes"),
    "search.level": ("层次", "Level"),
    "search.document": ("政策文件", "Policy document"),
    "search.any": ("全部", "Any"),
    "search.in_force": ("仅现行有效文件的条款", "Provisions of documents in force only"),
    "search.top": ("结果数", "Results"),
    "search.none": ("没有结果。", "No results."),
    "search.no_strong": ("没有强匹配：以下结果仅供参考。",
                         "No strong match: the results below are only loosely related."),
    "search.weak": ("弱匹配", "weak match"),
    "search.found_by": ("命中方式", "found by"),
    "search.hidden": ("另有 {count} 条非现行文件的结果未显示（取消勾选“仅现行有效文件的条款”可查看）。",
                      "{count} results from documents not in force are hidden (untick “in force only” to see them)."),
    "search.count": ("{count} 条结果 · {ms} 毫秒", "{count} results · {ms} ms"),
    "method.bm25": ("关键词", "lexical"),
    "method.dense": ("语义", "semantic"),
    "method.exact": ("精确", "exact"),
    # browse
    "browse.header": ("按类浏览", "Browse by class"),
    "browse.class": ("类", "Class"),
    "browse.filter": ("名称包含", "Name contains"),
    "browse.count": ("显示 {shown} / {total}", "showing {shown} of {total}"),
    "browse.none": ("图谱中没有可浏览的节点。", "No nodes to browse in this store."),
    # entity
    "entity.pick": ("输入节点 IRI，或从检索结果中点击进入。",
                    "Enter a node's IRI, or click one in the search results."),
    "entity.iri": ("节点 IRI", "Node IRI"),
    "entity.unknown": ("图谱中没有节点 <{iri}>。", "No node <{iri}> in this store."),
    "entity.properties": ("属性", "Properties"),
    "entity.more": ("……另有 {count} 项", "… and {count} more"),
    "entity.provenance": ("来源", "Provenance"),
    "entity.no_provenance": ("此节点没有记录来源文件（由链接或审核生成）。",
                             "No source file is recorded for this node (it was made by linking or review)."),
    "entity.file": ("文件", "File"),
    "entity.line": ("行", "Line"),
    "entity.ingested": ("导入时间", "Ingested"),
    "entity.kind": ("类型", "Kind"),
    "entity.source_text": ("原文", "Source text"),
    "entity.unreadable": ("原文不可直接显示（{reason}）。", "The source text cannot be shown ({reason})."),
    "entity.open_reader": ("在政策阅读器中打开", "Open in the policy reader"),
    "entity.open_map": ("打开课证对应图", "Open its alignment map"),
    "entity.graph": ("关系图", "Neighbourhood"),
    "entity.hops": ("跳数", "Hops"),
    "entity.graph_help": ("点击节点打开其页面；颜色表示类。", "Click a node to open its page; colours show classes."),
    "entity.neighbours": ("相邻节点（{count}）", "Neighbours ({count})"),
    "entity.no_neighbours": ("没有相邻节点。", "No neighbours."),
    # alignments
    "align.header": ("对齐关系", "Alignments"),
    "align.none": ("没有对齐关系。", "No alignments."),
    "align.reviewer": ("审核人", "Reviewer"),
    "align.note": ("备注", "Note"),
    "align.accept": ("接受", "Accept"),
    "align.reject": ("拒绝", "Reject"),
    "align.out": ("指向", "to"),
    "align.in": ("来自", "from"),
    "align.evidence": ("证据", "evidence"),
    "align.recorded": ("已记录：{decision} {label}", "Recorded: {decision} {label}"),
    "align.busy": ("图谱正被另一个写入者占用，请稍后再试：{error}",
                   "The store is busy with another writer; try again: {error}"),
    "align.not_reviewable": ("此建议无法在此审核", "this suggestion cannot be reviewed here"),
    "align.more": ("显示前 {shown} 条，共 {total} 条", "showing {shown} of {total}"),
    "status.proposed": ("待审核", "proposed"),
    "status.accepted": ("已接受", "accepted"),
    "status.rejected": ("已拒绝", "rejected"),
    # policy reader
    "reader.header": ("政策阅读器", "Policy reader"),
    "reader.document": ("文件", "Document"),
    "reader.filter": ("筛选条文", "Filter provisions by text"),
    "reader.filter_placeholder": ("如：产业学院", "e.g. 产业学院"),
    "reader.outline": ("目录", "Outline"),
    "reader.count": ("{shown} / {total} 条", "{shown} / {total} provisions"),
    "reader.no_match": ("没有条文包含该文字。", "No provision contains that text."),
    "reader.targets": ("目标", "Targets"),
    "reader.mentions": ("提及", "Mentions"),
    "reader.industries": ("关联行业", "Linked industries"),
    "reader.derived": ("由行业推出的专业与证书", "Majors and certificates through those industries"),
    "reader.no_industries": ("本条未关联行业。", "No industries are linked to this provision."),
    "reader.children": ("下级条文", "Sub-provisions"),
    "reader.status": ("效力", "Status"),
    "reader.entity": ("条款详情与关系图", "The clause's page and graph"),
    "mention.industry": ("行业", "industry"),
    "mention.initiative": ("举措", "initiative"),
    "mention.occupation": ("职业", "occupation"),
    "mention.qualification": ("资格", "qualification"),
    "mention.skill-certificate": ("技能证书", "skill certificate"),
    "mention.next-major": ("接续专业", "next major"),
    "mention.position": ("岗位", "position"),
    "target.label": ("目标", "target"),
    "target.value": ("数值", "value"),
    "target.unit": ("单位", "unit"),
    "target.comparator": ("比较", "comparator"),
    "target.year": ("年份", "year"),
    "legal.StatusDraft": ("草案", "draft"),
    "legal.StatusInForce": ("现行有效", "in force"),
    "legal.StatusSuperseded": ("已被修订", "superseded"),
}


def language() -> str:
    """The session's language: "zh" unless the sidebar switch chose English."""
    chosen = st.session_state.get(LANGUAGE_KEY, "zh")
    return chosen if chosen in LANGUAGES else "zh"


def t(key: str, **values: object) -> str:
    """The string ``key`` in the session's language, with ``values`` filled in."""
    zh, en = STRINGS[key]
    text = en if language() == "en" else zh
    return text.format(**values) if values else text


def pick(zh: str | None, en: str | None) -> str:
    """One of two labels by the session's language, the other where it is missing."""
    first, second = (en, zh) if language() == "en" else (zh, en)
    return first or second or ""


def language_switch() -> None:
    """The sidebar's language toggle (its value lives in session state, so every page reads it)."""
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = "zh"
    st.sidebar.radio(t("sidebar.language"), LANGUAGES, key=LANGUAGE_KEY, horizontal=True,
                     format_func=lambda code: {"zh": "中文", "en": "English"}[code])
