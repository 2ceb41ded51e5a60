"""Alignment map (课证对应): a major's or a certificate's courses × certificates, what it serves, its exports."""

from webapp.maps_view import render_alignment_page
from webapp.shell import run_page

run_page(render_alignment_page)
