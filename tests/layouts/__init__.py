"""Documents the detection tests write themselves: look-alikes that no kind, or only a refusal, should claim.

Each is a list of blocks for ``corpus/writers.py`` (``write_docx_blocks`` / ``write_pdf_blocks``) or of
lines for its line writers; ``write`` puts one into a file of the given suffix.
"""

from __future__ import annotations

from pathlib import Path

from corpus.writers import write_docx_blocks, write_pdf_blocks

MEETING_NOTE: list[tuple] = [
    ("title", "关于2024级课程标准修订工作的会议纪要"),
    ("para", "时间：2024年3月12日下午3:00"),
    ("para", "地点：行政楼302会议室"),
    ("para", "主持人：张XX"),
    ("para", "参会人员：各二级学院教学副院长、专业带头人"),
    ("para", "记录人：李XX"),
    ("heading", 1, "一、部署课程标准修订工作"),
    ("para", "会议要求各专业加强课程标准建设，推进岗课赛证融通，落实教学改革任务。"),
    ("heading", 1, "二、明确时间安排"),
    ("para", "（一）4月底前完成初稿。"),
    ("para", "（二）5月底前完成审核。"),
    ("heading", 1, "三、其他事项"),
    ("para", "各学院于会后一周内报送修订计划。"),
]

TEXTBOOK_CHAPTER: list[tuple] = [
    ("heading", 1, "第三章 直流电路的分析方法"),
    ("heading", 2, "学习目标"),
    ("para", "知识目标：理解支路电流法；掌握节点电压法。"),
    ("para", "能力目标：能用叠加定理和戴维南定理分析电路。"),
    ("heading", 2, "3.1 支路电流法"),
    ("para", "以支路电流为未知量，应用基尔霍夫定律列出方程组求解的方法称为支路电流法。"),
    ("heading", 2, "3.2 节点电压法"),
    ("para", "以节点电压为未知量列方程求解电路的方法称为节点电压法。"),
    ("heading", 2, "本章小结"),
    ("para", "1. 支路电流法适用于支路较少的电路。"),
    ("para", "2. 节点电压法适用于节点较少的电路。"),
    ("heading", 2, "习题"),
    ("para", "3-1 用支路电流法求图3-1所示电路中各支路的电流。"),
]

PLAIN_ARTICLE: list[tuple] = [
    ("title", "我校学子在省职业院校技能大赛中再创佳绩"),
    ("para", "近日，2024年全省职业院校技能大赛落下帷幕，我校代表队在新能源汽车检测与维修等赛项中获得一等奖2项。"),
    ("heading", 1, "一、赛前精心准备"),
    ("para", "指导教师团队提前半年制订训练计划，利用课余时间开展集训。"),
    ("heading", 1, "二、以赛促教成效明显"),
    ("para", "学院将把竞赛经验融入日常教学，带动更多学生提升技能。"),
]

#: Looks like a course standard (title, 课程性质, 课程目标, 考核评价, 实施建议) but has no content and no objectives.
MISSING_CONTENT: list[tuple] = [
    ("title", "《电工基础》课程标准"),
    ("heading", 1, "一、课程性质"),
    ("para", "本课程是机电一体化技术专业的专业基础课程，培养学生安全用电和电路分析的基本能力。"),
    ("heading", 1, "二、课程目标"),
    ("para", "本课程旨在培养学生的电工基本技能和职业素养。"),
    ("heading", 1, "三、考核评价"),
    ("para", "过程考核占60%，期末考试占40%。"),
    ("heading", 1, "四、教学实施建议"),
    ("para", "采用理实一体化教学。"),
]

#: A course standard in every part but the course's name: no 课程名称, a title that names nothing.
NO_COURSE_NAME: list[tuple] = [
    ("title", "课程标准"),
    ("heading", 1, "一、课程性质"),
    ("para", "本课程是专业核心课程，共48学时，3学分。"),
    ("heading", 1, "二、课程目标"),
    ("para", "知识目标：掌握电路的基本定律；熟悉常用电工仪表。"),
    ("para", "能力目标：能安装照明电路；能使用万用表。"),
    ("heading", 1, "三、课程内容"),
    ("table", [["序号", "学习项目", "学习任务", "学时"], ["1", "安全用电", "触电急救", "24"],
               ["2", "照明电路安装", "线路敷设", "24"]], [], {"header": True}),
    ("heading", 1, "四、考核评价"),
    ("para", "过程考核与期末考核各占50%。"),
]

#: A 专业简介's sections around a malformed 专业代码: the profile kind refuses it, policy must not claim it.
PROFILE_LIKE = """# 5401 旅游类

专业代码 54010

专业名称 旅游管理

# 职业面向

面向旅游业的导游、计调等岗位（群）。

# 培养目标定位

本专业培养能够从事导游服务、旅行社计调等工作的高素质技术技能人才。

# 主要专业能力要求

1. 具有导游讲解能力；
2. 具有旅游线路设计能力。
"""


def lines_of(blocks: list[tuple]) -> list[str]:
    """The blocks as Markdown lines: headings with '#', tables as pipe tables."""
    out: list[str] = []
    for block in blocks:
        if block[0] == "title":
            out.append(f"# {block[1]}")
        elif block[0] == "heading":
            out.append(f"{'#' * (block[1] + 1)} {block[2]}")
        elif block[0] == "para":
            out.append(block[1])
        elif block[0] == "table":
            rows = block[1]
            out += ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        out.append("")
    return out


def write(blocks: list[tuple], path: Path) -> Path:
    """Write ``blocks`` as the format ``path``'s suffix names (.docx, .pdf, .md or .txt)."""
    if path.suffix == ".docx":
        return write_docx_blocks(blocks, path)
    if path.suffix == ".pdf":
        return write_pdf_blocks(blocks, path)
    lines = lines_of(blocks)
    if path.suffix == ".txt":
        lines = [line.lstrip("# ") for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
