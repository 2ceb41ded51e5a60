"""Hand-built alignment maps and gap reports, so exporters are tested without a store.

The values are shaped like the real ones (IRIs under w3id.org/vetgraph, GB/T 4754 and major codes,
Chinese labels, one stated certificate no course covers, a label that looks like a formula).
"""

from __future__ import annotations

import hashlib

from kg.maps.model import (
    ZERO_INCOMPLETE, ZERO_NONE, AlignmentMap, Cell, Competency, Evidence, GapField, GapReport, Link, MapCertificate,
    MapCourse, Node, Source,
)

ID = "https://w3id.org/vetgraph/id/"
PROFILE_FILE = "corpus/profiles/transport-equipment.md"
STANDARD_FILE = "corpus/course_standards/new-energy-vehicle-battery.docx"

MAJOR = Node(f"{ID}major/460702", "Major", "新能源汽车技术", "460702", "高职专科")
BATTERY = Node(f"{ID}course-standard/new-energy-vehicle-battery/course", "Course", "新能源汽车动力蓄电池及管理技术")
MOTOR = Node(f"{ID}teaching-standard/course/460702/drive-motor", "Course", "新能源汽车驱动电机及控制技术")
FORMULA = Node(f"{ID}teaching-standard/course/460702/formula", "Course", "=HYPERLINK(\"http://x\")检测")
SMART = Node(f"{ID}certificate/smart-nev", "Certificate", "智能新能源汽车职业技能等级证书", "S-1", "中级")
HIGH_VOLTAGE = Node(f"{ID}certificate/hv", "Certificate", "电动汽车高电压系统评测与维修职业技能等级证书")
SPECIAL = Node(f"{ID}certificate/special", "Certificate", "特种作业人员", outside_catalogue=True)
INDUSTRY = Node(f"{ID}industry/3612", "Industry", "新能源车整车制造", "3612")
OCCUPATION = Node(f"{ID}occupation/6-22-02-05", "Occupation", "汽车维修工", "4-12-01-01")

SOURCES = (
    Source("https://w3id.org/vetgraph/source/aaaa", PROFILE_FILE, "major-profile", "a" * 64, "2026-11-30T08:00:00Z"),
    Source("https://w3id.org/vetgraph/source/bbbb", STANDARD_FILE, "course-standard", "b" * 64,
           "2026-11-30T09:30:00Z"),
)


def _link(node: Node, method: str = "stated", strength: str = "exact", status: str = "accepted", score: float = 1.0,
          evidence: tuple[Evidence, ...] = ()) -> Link:
    return Link(node, f"{ID}alignment/{hashlib.sha1((node.iri + method).encode()).hexdigest()[:16]}", method,
                "name", score, strength, status, evidence)


def major_map() -> AlignmentMap:
    """460702's map: three courses, three certificates (one stated and uncovered), two cells."""
    stated = Evidence("职业技能等级证书：智能新能源汽车", f"{ID}mention/1", PROFILE_FILE, 12)
    module = Evidence("模块三 动力电池检测与维护", f"{ID}module/3", STANDARD_FILE, 48)
    smart, high_voltage = _link(SMART, evidence=(stated,)), _link(HIGH_VOLTAGE, evidence=(stated,))
    special = _link(SPECIAL, method="peer", strength="minor", status="proposed", score=0.55,
                    evidence=(Evidence("同类专业：汽车检测与维修技术", f"{ID}major/460704"),))
    courses = (MapCourse(BATTERY, ("course-standard",), "《新能源汽车动力蓄电池及管理技术》课程标准", "XX职业技术学院"),
               MapCourse(MOTOR, ("teaching-standard", "profile-core")),
               MapCourse(FORMULA, ("teaching-standard",)))
    cells = (Cell(BATTERY.iri, SMART.iri, _link(SMART, evidence=(module,))),
             Cell(MOTOR.iri, SPECIAL.iri, _link(SPECIAL, method="text", strength="minor", status="proposed", score=0.31,
                                                 evidence=(Evidence("文本相近：电机、控制"),))))
    return AlignmentMap(
        subject=MAJOR, title="新能源汽车技术（460702）专业岗课赛证对应表", generated_at="2026-11-30T09:30:00Z",
        courses=courses,
        certificates=(MapCertificate(smart, True), MapCertificate(high_voltage, False), MapCertificate(special, True)),
        cells=cells,
        industries=(_link(INDUSTRY, evidence=(Evidence("职业面向：新能源车整车制造", None, PROFILE_FILE, 5),)),),
        occupations=(_link(OCCUPATION),),
        competencies=(Competency(f"{ID}competency/460702/1", 1, "具有新能源汽车动力电池检测与维护的能力", PROFILE_FILE, 20),
                      Competency(f"{ID}competency/460702/2", 2, "具有驱动电机及控制系统故障诊断的能力", PROFILE_FILE, 21)),
        framework=Node(f"{ID}competency-framework/460702", "CompetencyFramework", "新能源汽车技术主要专业能力要求"),
        profile=Node(f"{ID}major-profile/460702", "MajorProfile", "新能源汽车技术专业简介"),
        profile_texts={"职业面向": "面向汽车制造业的汽车工程技术人员", "培养目标定位": "培养新能源汽车检测与维修的技术技能人才"},
        sources=SOURCES,
    )


def bare_major_map() -> AlignmentMap:
    """A major with no profile: teaching-standard courses only, no competencies, no certificates."""
    course = Node(f"{ID}teaching-standard/course/510205/collection", "Course", "数据采集技术")
    return AlignmentMap(subject=Node(f"{ID}major/510205", "Major", "大数据技术", "510205", "高职专科"),
                        title="大数据技术（510205）专业岗课赛证对应表", generated_at="2026-11-30T08:00:00Z",
                        courses=(MapCourse(course, ("teaching-standard",)),), certificates=(), cells=(),
                        sources=SOURCES[:1], notes=("无专业简介：课程取自教学标准",))


def gap_report() -> GapReport:
    """Two fields: 清洁能源 served by a major and no certificate; 民族手工艺 served by nothing."""
    provision = Node(f"{ID}policy/seed/part-2/article-5", "Provision", "第五条")
    solar = Node(f"{ID}industry/4416", "Industry", "太阳能发电", "4416")
    major = Node(f"{ID}major/430107", "Major", "光伏工程技术", "430107", "高职专科")
    clean = GapField("清洁能源", f"{ID}mention/clean", provision, 31, "大力发展清洁能源、旅游业等产业",
                     industries=(_link(solar, evidence=(Evidence("别名表：清洁能源 → 4416 太阳能发电"),)),),
                     majors=(_link(major, method="derived", strength="broad", status="proposed", score=0.6),),
                     certificates=(), occupations=(), zero_reasons={"certificates": ZERO_INCOMPLETE,
                                                                   "occupations": ZERO_NONE})
    craft = GapField("民族手工艺", f"{ID}mention/craft", provision, 33, "传承民族手工艺", industries=(), majors=(),
                     certificates=(), occupations=(),
                     zero_reasons={"majors": ZERO_NONE, "certificates": ZERO_INCOMPLETE, "occupations": ZERO_NONE})
    return GapReport(document=Node(f"{ID}policy/seed", "PolicyDocument", "关于推动现代职业教育高质量发展的实施意见（征求意见稿）"),
                     path="../shared/data/policy/000_63c5338d7d9bffda.txt", legal_status="draft",
                     generated_at="2026-11-30T08:00:00Z", fields=(clean, craft), sources=SOURCES[:1])
