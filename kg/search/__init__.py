"""Hybrid search: node texts from the graph, a dense (FAISS) and a lexical (BM25) index, fused.

Reads the store through the GraphStore protocol (node texts, neighbours); may import kg.core,
kg.errors and kg.store.base; never ingest/, the CLI or streamlit. Torch loads only in encoders.
"""
