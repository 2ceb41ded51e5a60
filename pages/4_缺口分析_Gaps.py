"""Gap analysis (缺口分析): the industries and fields a policy names, and what serves them."""

from webapp.gaps_view import render_gaps_page
from webapp.shell import run_page

run_page(render_gaps_page)
