"""Entity linking and alignment suggestions: names found in documents resolved to catalogue nodes.

A mention (an industry a policy lists, a certificate a profile names …) is resolved against the
catalogues the store holds, by code, by exact or normalised name, and by curated alias tables kept
as data in ``kg/align/data/``; each candidate says how it was found, how sure it is (a score) and
how wide the match is (a strength), so the linking steps can propose alignments for review.

This room may import kg.core, kg.errors, kg.store (the protocol in kg.store.base only),
kg.resolve.base and kg.search (the index, for embedding links in `vetgraph align`); never ingest/.
"""
