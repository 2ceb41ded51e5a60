"""`vetgraph serve`: a SPARQL 1.1 Protocol endpoint over the home's store (stdlib http.server)."""
