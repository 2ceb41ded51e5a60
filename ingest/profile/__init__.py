"""The official 专业简介 (major profiles): one block per major, 专业代码 / 专业名称 then fixed sections.

signature.py recognises a profile (so other detectors, policy among them, can refuse one); sections.py,
blocks.py, items.py and orientation.py read it into records.py; triples.py and ingestor.py make the graph.
May import kg.core, kg.errors, ingest.base and ingest.readers.
"""
