"""How a node becomes a link: the entity page with ``?iri=<node IRI>``, the policy reader with ``?doc=&provision=``,
the alignment map with ``?major=<code>`` or ``?certificate=<name>``.

``entity_link`` draws a page link (a click opens the page in the same tab); ``entity_href`` is the same
target as a relative URL, for tables (``st.column_config.LinkColumn``) and markdown.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import streamlit as st

ENTITY_PAGE = "pages/1_实体_Entity.py"
POLICY_PAGE = "pages/2_政策_Policy.py"
MAP_PAGE = "pages/3_课证对应_Alignment.py"
ENTITY_PATH = "实体_Entity"  # the URL path Streamlit gives ENTITY_PAGE (its file name without the number)
POLICY_PATH = "政策_Policy"
IRI_PARAM = "iri"
DOCUMENT_PARAM = "doc"
PROVISION_PARAM = "provision"
MAJOR_PARAM, CERTIFICATE_PARAM = "major", "certificate"
_LINK_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def link_label(text: str, limit: int = 80) -> str:
    """A label as a page link shows it literally: one line, markdown characters escaped, long ones cut."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return _LINK_SPECIAL.sub(r"\\\1", flat)


def entity_link(iri: str, label: str, *, icon: str | None = None, help: str | None = None, bold: bool = False) -> None:
    """A link to the entity page of ``iri``."""
    text = link_label(label or iri)
    st.page_link(ENTITY_PAGE, label=f"**{text}**" if bold else text, icon=icon, help=help,
                 query_params={IRI_PARAM: iri})


def policy_link(document: str, label: str, provision: str | None = None, *, icon: str | None = None) -> None:
    """A link to the policy reader, opened on ``document`` (and one of its provisions)."""
    params = {DOCUMENT_PARAM: document} | ({PROVISION_PARAM: provision} if provision else {})
    st.page_link(POLICY_PAGE, label=link_label(label), icon=icon, query_params=params)


def map_link(label: str, *, major: str | None = None, certificate: str | None = None,
             icon: str | None = None) -> None:
    """A link to the alignment map of a major (by its code) or of a certificate (by its name)."""
    params = {MAJOR_PARAM: major} if major else {CERTIFICATE_PARAM: certificate or ""}
    st.page_link(MAP_PAGE, label=link_label(label), icon=icon, query_params=params)


def entity_href(iri: str) -> str:
    """The entity page of ``iri`` as a relative URL."""
    return f"{quote(ENTITY_PATH)}?{urlencode({IRI_PARAM: iri})}"


def open_entity(iri: str) -> None:
    """Go to the entity page of ``iri`` now (ends this run)."""
    st.switch_page(ENTITY_PAGE, query_params={IRI_PARAM: iri})
