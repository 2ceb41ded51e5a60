"""Hybrid search: node texts from the graph, a dense (FAISS) and a lexical (BM25) index, fused."""
