"""实体 Entity: the page of one node, opened by ``?iri=<node IRI>`` (every link to a node comes here)."""

from webapp.entity_view import render_entity_page
from webapp.shell import run_page

run_page(render_entity_page)
