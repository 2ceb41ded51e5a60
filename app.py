"""VETgraph's Streamlit app: search (this page), an entity page for any node, the policy reader, and pages/.

Run with ``streamlit run app.py``; the home comes from $VETGRAPH_STORE (default ``.vetgraph``).
This file routes (``st.navigation``: the Search page, then every ``pages/*.py`` in file order) after
drawing what every page shares (webapp/shell.py: language switch, title, sidebar); the pages' code
lives in webapp/. Library errors arrive as kg.errors.VetgraphError and are shown with st.error.
Nothing under kg/ or ingest/ imports streamlit.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from webapp.i18n import t
from webapp.search_view import render_search_page
from webapp.shell import TITLE, draw_shell, routed, run_page
from webapp.state import open_snapshot

__all__ = ["TITLE", "main", "open_snapshot", "page_files"]

PAGES = Path(__file__).resolve().parent / "pages"


def page_files() -> list[str]:
    """The page scripts in pages/, by their number then name, as paths relative to this file."""
    from streamlit.source_util import page_sort_key

    return [f"pages/{path.name}" for path in sorted(PAGES.glob("*.py"), key=page_sort_key)]


def search_page() -> None:
    """The landing page (url ``/``)."""
    run_page(render_search_page)


def main() -> None:
    pages = [st.Page(search_page, title=t("nav.search"), icon=":material/search:", url_path="search", default=True)]
    pages += [st.Page(path) for path in page_files()]
    navigation = st.navigation(pages)
    with routed():
        if draw_shell():
            navigation.run()


if __name__ == "__main__":
    main()
