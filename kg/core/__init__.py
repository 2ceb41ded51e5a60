"""The ground floor: vocabulary shared by ingest/ and every room of kg/, importing neither.

terms (namespaces, prefixes), rdf (term builders), iris (the IRI of every node kind), records
(SourceLine, Rejection), names (the one name normaliser), levels (education and certificate
levels). May import kg.errors and kg.core only.
"""
