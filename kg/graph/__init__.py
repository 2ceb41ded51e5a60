"""The store as a networkx graph: why two nodes are linked, which majors are alike, what a policy cannot reach.

``projection`` builds the graph from the store protocol (SPARQL selects only), ``cache`` keeps one per
snapshot, ``paths``, ``similar`` and ``reach`` answer the questions `vetgraph explain`, `similar` and
`reach` ask. networkx is imported here only, never by the store or the align rooms.
"""
