"""Policy documents (laws, regulations, opinions, drafts), parsed clause by clause."""
