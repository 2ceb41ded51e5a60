"""Synthetic national-scale source files for bench/scale.py, in the formats the real ingest reads.

Colleges x majors x course standards (objectives, content modules, 1+X certificates, competitions)
as .txt and .md documents laid out like corpus/course_standards/, the catalogues as CSV with the
real headers (majors, occupations, 1+X certificates, teaching-standard courses and 职业面向), and
provincial regulations and plans (articles, items, quantified targets) as .md and .txt. Every file
goes through `ingest/`'s detection and parsers; nothing is written as triples here. Names are made
up from small word lists (the major 460702 新能源汽车技术 is kept, so the README's example query
has an answer); the output is deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"]
#: 高职专科 专业大类 (code, name) and words its majors are made of.
DIVISIONS = (
    ("41", "农林牧渔大类", "作物生产 园艺 畜牧兽医 林业 水产养殖 茶叶生产"),
    ("42", "资源环境与安全大类", "测绘地理信息 环境监测 安全技术 地质勘查 矿山测量 生态保护"),
    ("43", "能源动力与材料大类", "光伏工程 风力发电 电力系统 储能材料 金属材料 热能动力"),
    ("44", "土木建筑大类", "建筑工程 建筑装饰 工程造价 市政工程 建筑设备 智能建造"),
    ("45", "水利大类", "水利工程 水文测报 水务管理 港口航道 灌溉排水 河湖治理"),
    ("46", "装备制造大类", "数控 机电一体化 工业机器人 模具设计 焊接 智能制造装备"),
    ("47", "生物与化工大类", "应用化工 生物制药 食品生物 化工装备 分析检验 精细化工"),
    ("48", "轻工纺织大类", "服装设计 纺织品检验 包装工程 家具设计 印刷媒体 皮革加工"),
    ("49", "食品药品与粮食大类", "食品检验 药品生产 粮食储运 食品营养 保健食品 药品质量"),
    ("50", "交通运输大类", "城市轨道交通 道路桥梁 航空服务 船舶检验 物流运输 汽车运用"),
    ("51", "电子与信息大类", "大数据 云计算 人工智能 物联网 软件 信息安全"),
    ("52", "医药卫生大类", "护理 药学 康复治疗 医学检验 口腔医学 卫生信息"),
    ("53", "财经商贸大类", "电子商务 会计信息 跨境电商 市场营销 现代物流 金融服务"),
    ("54", "旅游大类", "旅游管理 酒店管理 导游 烹饪工艺 会展策划 研学旅行"),
    ("55", "文化艺术大类", "广告艺术 数字媒体艺术 室内艺术 民族工艺 音乐表演 动漫制作"),
    ("56", "新闻传播大类", "网络新闻 影视制作 播音主持 出版策划 融媒体 传播与策划"),
    ("57", "教育与体育大类", "学前教育 体育运营 健身指导 特殊教育 早期教育 社会体育"),
    ("58", "公安与司法大类", "司法警务 法律事务 安全防范 社区矫正 刑事技术 消防救援"),
    ("59", "公共管理与服务大类", "智慧健康养老 社会工作 家政服务 民政管理 公共事务 婚庆服务"),
)
PREFIXES = ("", "智能", "现代", "数字", "绿色", "智慧", "精密", "新型", "高端", "应用")
COURSE_SUFFIXES = ("基础", "技术", "实训", "综合实践", "工艺", "检测与维护", "系统集成", "项目管理", "数据分析", "安全规范",
                   "标准与法规", "创新设计")
TASKS = ("认知与准备", "方案设计", "设备操作", "工艺实施", "质量检测", "故障诊断", "数据采集", "运行维护", "综合实训",
         "项目考核", "安全管理", "成本核算")
VERBS = ("了解", "熟悉", "掌握", "理解")
SKILLS = ("能按规范完成", "能独立操作", "能分析并处理", "能运用工具完成", "能编制")
VIRTUES = ("具有精益求精的工匠精神", "具有安全生产和环境保护意识", "具有团队协作和沟通能力", "具有诚实守信的职业道德",
           "具有创新意识和终身学习能力")
LEVELS = ("初级", "中级", "高级")
NATURES = ("专业基础课", "专业核心课", "专业拓展课", "专业实训课")
CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Major:
    code: str
    name: str
    division: str
    division_name: str
    words: str

    @property
    def courses(self) -> list[str]:
        return [f"{self.words}{suffix}" for suffix in COURSE_SUFFIXES]


@dataclass(frozen=True)
class Sizes:
    """How many of each source to write for about ``triples`` triples (per-file triples measured on corpus/)."""

    majors: int
    certificates: int
    occupations: int
    policies: int
    colleges: int
    standards_per_college: int

    @classmethod
    def for_triples(cls, triples: int) -> Sizes:
        majors = max(40, min(1200, triples // 800))
        certificates = max(10, min(450, triples // 4000))
        occupations = max(30, min(1500, triples // 2000))
        policies = max(2, min(2 * len(PROVINCES), triples // 60000))
        catalogues = majors * (15 + 8 * 8 + 2 * 11) + certificates * 3 * 11 + occupations * 13
        left = max(triples - catalogues - policies * 1000, 40 * STANDARD_TRIPLES)
        standards = left // STANDARD_TRIPLES
        per_college = 40
        return cls(majors, certificates, occupations, policies, max(1, round(standards / per_college)), per_college)


#: Triples a generated course standard makes, on average (checked by bench/scale.py's printed totals).
STANDARD_TRIPLES = 205


def division_majors(count: int) -> list[Major]:
    """``count`` majors spread over the 19 divisions, 460702 新能源汽车技术 first."""
    majors = [Major("460702", "新能源汽车技术", "46", "装备制造大类", "新能源汽车")]
    n = 0
    while len(majors) < count:
        code, name, words = DIVISIONS[n % len(DIVISIONS)]
        word_list = words.split()
        round_ = n // len(DIVISIONS)
        word = word_list[round_ % len(word_list)]
        prefix = PREFIXES[(round_ // len(word_list)) % len(PREFIXES)]
        serial = round_ + 1
        klass = 1 + serial // 90
        major_code = f"{code}{klass:02d}{serial % 90 + 10:02d}"
        if major_code != "460702":
            majors.append(Major(major_code, f"{prefix}{word}技术", code, name, f"{prefix}{word}"))
        n += 1
    return majors


def write_catalogues(folder: Path, sizes: Sizes) -> tuple[list[Major], list[str]]:
    """The majors, certificates, occupations, teaching-standard courses and 职业面向 CSVs."""
    folder.mkdir(parents=True, exist_ok=True)
    majors = division_majors(sizes.majors)
    _csv(folder / "majors.csv",
         "level,level_zh,code,name,dalei_code,dalei_name_derived,class_code,class_name,in_2021_catalog_docx_parse,"
         "in_2025_additions_list,in_chsi_2025_12,src_voced",
         ([("voc_associate", "高等职业教育专科", m.code, m.name, m.division, m.division_name, m.code[:4],
            f"{m.division_name[:-2]}{m.code[2:4]}类", "True", "False", "False", "True") for m in majors]))
    certificates = [f"{majors[i % len(majors)].words}{('运维', '应用', '开发', '检测', '服务')[i % 5]}职业技能等级证书"
                    for i in range(sizes.certificates)]
    certificates = list(dict.fromkeys(certificates))
    _csv(folder / "certificates.csv", "batch,seq,issuing_org_培训评价组织,certificate_name,level",
         ((1 + i // 200, i + 1, f"{PROVINCES[i % len(PROVINCES)]}职业技能评价中心", name, level)
          for i, name in enumerate(certificates) for level in LEVELS))
    occupations = [(f"{2 + i % 5}-{1 + i // 500 % 99:02d}-{1 + i // 50 % 10:02d}-{1 + i % 50:02d}",
                    f"{majors[i % len(majors)].words}{('工程技术人员', '操作员', '维修工', '管理员', '服务员')[i % 5]}")
                   for i in range(sizes.occupations)]
    _csv(folder / "occupations.csv",
         "occupation_code,occupation_name,major_category_code,major_category_name,middle_category_code,"
         "middle_category_name,minor_category_code,minor_category_name,definition,included_work_types,markers,"
         "catalog_version,source_type,source,source_page,major_category_name_fixed",
         ((code, name, code[0], "专业技术人员", code[:4], f"第{code[2:4]}中类人员", code[:7], f"第{code[2:7]}小类人员",
           f"从事{name[:-2]}相关工作的人员。", "", "", "2022", "synthetic", "bench/scale_corpus.py", "", "专业技术人员")
          for code, name in occupations))
    _csv(folder / "standard_courses.csv", "source_pdf,level,level_zh,major_code,major_name,course_seq,course_name",
         ((f"standard-{m.code}.pdf", "voc_associate", "高职专科", m.code, m.name, seq, course)
          for m in majors for seq, course in enumerate(m.courses[:8], start=1)))
    _csv(folder / "standard_occupations.csv",
         "major_level,major_code,major_name,occupation_code,occupation_name,evidence,confidence",
         (("voc_associate", m.code, m.name, code, name, f"课标职业面向：{m.name}（{m.code}） · 职业类别代码 {code}",
           "official") for i, m in enumerate(majors) for code, name in (occupations[(2 * i + k) % len(occupations)]
                                                                    for k in range(2))))
    return majors, certificates


def _csv(path: Path, header: str, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header.split(","))
        writer.writerows(rows)


def write_policies(folder: Path, sizes: Sizes, majors: list[Major], rng: random.Random) -> int:
    """Provincial regulations (chapters, articles, items) as .md and implementation plans with targets as .txt."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(sizes.policies):
        province = PROVINCES[n % len(PROVINCES)]
        if n % 2 == 0:
            lines = [f"# {province}职业教育条例（第{n + 1}号）", "",
                     f"2024年{1 + n % 12}月1日 {province}人民代表大会常务委员会会议通过", ""]
            article = 0
            for chapter, title in enumerate(("总则", "职业学校", "职业培训", "产教融合", "保障措施", "附则")):
                lines += [f"## 第{CHINESE_NUMBERS[chapter]}章 {title}", ""]
                for _ in range(rng.randint(4, 7)):
                    article += 1
                    major = rng.choice(majors)
                    lines += [(f"第{_number(article)}条 本省支持职业学校围绕{major.words}等产业设置{major.name}等专业，"
                               f"推动{title}工作与区域经济社会发展相适应。"), ""]
                    if rng.random() < 0.4:
                        lines += [f"（{CHINESE_NUMBERS[k]}）{rng.choice(TASKS)}方面，由{province}教育行政部门会同有关部门"
                                  f"统筹{rng.choice(majors).words}人才培养；" for k in range(rng.randint(2, 4))] + [""]
            (folder / f"regulation-{n + 1:03d}.md").write_text("\n".join(lines), encoding="utf-8")
        else:
            lines = [f"{province}推动职业教育高质量发展实施方案（{n + 1}）",
                     "为深入贯彻《中华人民共和国职业教育法》，结合本省实际，制定本方案。", "总体要求"]
            for section in range(rng.randint(4, 7)):
                lines.append(f"（{CHINESE_NUMBERS[section]}）{rng.choice(TASKS)}")
                for _ in range(rng.randint(3, 5)):
                    major = rng.choice(majors)
                    lines.append(f"- 建设{major.words}专业群。 到2027年，全省{major.name}专业“双师型”教师比例达到"
                                 f"{rng.randint(50, 90)}%以上，建设{rng.randint(3, 12)}个产业学院。")
            (folder / f"plan-{n + 1:03d}.txt").write_text("\n".join(lines), encoding="utf-8")
    return sizes.policies


def _number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 27 -> 二十七 (articles stay under 100)."""
    tens, ones = divmod(n, 10)
    text = ("" if tens < 2 else CHINESE_NUMBERS[tens - 1]) + ("十" if tens else "")
    return text + (CHINESE_NUMBERS[ones - 1] if ones else "")


def course_standard_lines(college: str, major: Major, course: str, code: str, rng: random.Random,
                          certificates: list[str], markdown: bool) -> list[str]:
    """One 课程标准 in the tour-guide (.txt) or the live-streaming (.md) layout of corpus/course_standards/."""
    modules = [f"{course}{task}" for task in rng.sample(TASKS, rng.randint(4, 10))]
    hours = [rng.choice((4, 6, 8, 10, 12)) for _ in modules]
    total, credits = sum(hours), max(1, sum(hours) // 16)
    objectives = {
        "知识目标": [f"{rng.choice(VERBS)}{course}的{rng.choice(TASKS)}知识和相关标准。" for _ in range(rng.randint(3, 6))],
        "能力目标": [f"{rng.choice(SKILLS)}{rng.choice(modules)}的工作任务。" for _ in range(rng.randint(3, 6))],
        "素质目标": [f"{v}。" for v in rng.sample(VIRTUES, rng.randint(2, 4))],
    }
    linked = rng.sample(certificates, k=min(len(certificates), rng.choice((0, 1, 1, 2))))
    nature = rng.choice(NATURES)
    if markdown:
        lines = [college, "", f"# 《{course}》课程标准", "", f"> 适用于{major.name}专业，自2024级起执行。", "",
                 "## 一、课程基本信息", "", "| 项目 | 内容 |", "| --- | --- |", f"| 课程名称 | {course} |",
                 f"| 课程代码 | {code} |", f"| 课程性质 | {nature} |", f"| 总学时 | {total} |", f"| 学分 | {credits} |",
                 f"| 适用专业 | {major.name}（{major.code}） |", "", "## 二、课程性质与任务", "",
                 f"本课程是{major.name}专业的{nature}，面向{major.words}相关岗位，培养学生完成{modules[0]}等工作任务的能力。",
                 "", "## 三、课程目标", ""]
        for kind, items in objectives.items():
            lines += [f"**{kind}**：" + "；".join(item.rstrip("。") for item in items) + "。", ""]
        lines += ["## 四、课程内容与学时安排", "", "| 序号 | 教学模块 | 学习任务 | 知识与技能要求 | 学时 |",
                  "| :-: | --- | --- | --- | :-: |"]
        lines += [f"| {i} | {title} | 完成{title}任务 | 能按规范完成{title} | {h} |"
                  for i, (title, h) in enumerate(zip(modules, hours), start=1)]
        lines += [f"| **合计** | | | | **{total}** |", "", "## 五、岗课赛证融通", ""]
        for name in linked:
            lines.append(f"- **证**：本课程对接{name}（{rng.choice(LEVELS)}），模块一至模块三覆盖证书的相关技能要求。")
        if rng.random() < 0.5:
            lines.append(f"- **赛**：对接全国职业院校技能大赛{major.words}赛项，将竞赛任务融入实训。")
        return lines
    lines = [college, f"《{course}》课程标准", "", "一、课程基本信息", f"课程名称：{course}", f"课程代码：{code}",
             f"课程性质：{nature}", f"学时：{total}", f"学分：{credits}", f"适用专业：{major.name}（{major.code}）", "",
             "二、课程性质与任务",
             f"本课程是{major.name}专业的{nature}，通过{modules[0]}等项目训练，使学生具备{major.words}岗位的基本能力。", "",
             "三、课程目标"]
    for n, (kind, items) in enumerate(objectives.items()):
        lines.append(f"（{CHINESE_NUMBERS[n]}）{kind}")
        lines += [f"{chr(0x2460 + i)}{item}" for i, item in enumerate(items)]
    lines += ["", "四、课程内容与学时安排", "序号\t教学模块\t学习任务\t技能要求\t学时"]
    lines += [f"{i}\t{title}\t完成{title}任务\t能按规范完成{title}\t{h}" for i, (title, h) in enumerate(zip(modules, hours), 1)]
    lines += [f"合计\t\t\t\t{total}", "", "五、课证融通与课赛融通"]
    for name in linked:
        lines.append(f"（一）课证融通：本课程对接{name}（{rng.choice(LEVELS)}），项目一至项目三覆盖证书的技能要求。")
    if rng.random() < 0.5:
        lines.append(f"（二）课赛融通：对接全国职业院校技能大赛{major.words}赛项。")
    return lines


def write_course_standards(folder: Path, sizes: Sizes, majors: list[Major], certificates: list[str],
                           rng: random.Random) -> int:
    """``colleges`` folders, each with ``standards_per_college`` course standards over a few of its majors."""
    written = 0
    for c in range(sizes.colleges):
        province = PROVINCES[c % len(PROVINCES)]
        college = f"{province}第{c + 1}职业技术学院"
        target = folder / f"college-{c + 1:05d}"
        target.mkdir(parents=True, exist_ok=True)
        offered = [majors[0]] if c == 0 else []
        offered += rng.sample(majors, k=min(len(majors), max(1, sizes.standards_per_college // 5)))
        for n in range(sizes.standards_per_college):
            major = offered[n % len(offered)]
            course = major.courses[(n // len(offered)) % len(major.courses)]
            markdown = n % 2 == 1
            code = f"C{c + 1:05d}{n + 1:03d}"
            lines = course_standard_lines(college, major, course, code, rng, certificates, markdown)
            stem = f"cs-{c + 1:05d}-{n + 1:03d}-{major.code}"
            (target / (stem + (".md" if markdown else ".txt"))).write_text("\n".join(lines) + "\n", encoding="utf-8")
            written += 1
    return written


def generate(folder: Path, triples: int, *, seed: int = 13) -> dict[str, int]:
    """Write about ``triples`` triples' worth of source files under ``folder``; returns the file counts."""
    rng = random.Random(seed)
    sizes = Sizes.for_triples(triples)
    majors, certificates = write_catalogues(folder / "catalogues", sizes)
    policies = write_policies(folder / "policy", sizes, majors, rng)
    standards = write_course_standards(folder / "course_standards", sizes, majors, certificates, rng)
    return {"catalogues": 5, "policies": policies, "course standards": standards, "colleges": sizes.colleges,
            "majors": len(majors), "certificates": len(certificates)}
