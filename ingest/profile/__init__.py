"""The official 专业简介 (major profiles): one block per major, 专业代码 / 专业名称 then fixed sections.

Today this room holds how a profile is recognised, so other detectors (policy) can refuse one.
May import kg.core, kg.errors, ingest.base and ingest.readers.
"""
