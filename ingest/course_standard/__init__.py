"""Course standards (课程标准): basic information, objectives, modules and 岗课赛证 links.

May import ingest.base, ingest.readers, ingest.policy.numbering, kg.core, kg.errors.
"""
