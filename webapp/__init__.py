"""The Streamlit side of VETgraph: what app.py and the pages in pages/ share.

``app.py`` is the entry point: it routes with ``st.navigation`` (its own Search page first, then every
``pages/*.py`` in file order), draws the sidebar every page shares (language, store, index) and runs
the chosen page. A page script runs its view with ``webapp.shell.run_page(render)``: ``render`` gets
the run's ``webapp.state.AppContext`` (the home and its store snapshot; ``state.index_of`` gives the
search index, ``state.per_snapshot`` caches a read model per snapshot). Links to a node come from
``webapp.links.entity_link``, strings from ``webapp.i18n``. Pages are tested through app.py
(``AppTest.from_file("app.py")``, then ``switch_page("pages/…")``): links resolve against the pages
app.py registers.

This package and pages/ may import streamlit; kg/ and ingest/ never do. Reading the graph stays in
functions that take a GraphStore and return plain data (the ``*_model`` modules), so that they are
testable without Streamlit.
"""
