"""Read models: what the app, the CLI and the exports show, as functions returning dataclasses.

Every SPARQL query the app needs lives here (documents and provisions, class counts, a user's
query rendered as a table or W3C results), run through the GraphStore protocol and tested
without Streamlit. May import kg.core, kg.errors and kg.store.base (the query runner and its
worker also kg.store.home, to open the home's newest snapshot); never ingest/ or streamlit.
"""
