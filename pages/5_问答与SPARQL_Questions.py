"""Questions (问答与 SPARQL): ready-made questions with their SPARQL, and a read-only SPARQL console."""

from webapp.sparql_view import render_questions_page
from webapp.shell import run_page

run_page(render_questions_page)
