"""政策 Policy: the policy reader (``?doc=<document IRI>&provision=<provision IRI>`` opens one clause)."""

from webapp.reader_view import render_reader_page
from webapp.shell import run_page

run_page(render_reader_page)
