"""Policy documents (laws, regulations, opinions, drafts), parsed clause by clause.

May import ingest.base, ingest.readers, ingest.course_standard (to refuse one), ingest.profile, kg.core, kg.errors.
"""
