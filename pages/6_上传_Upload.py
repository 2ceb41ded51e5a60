"""Upload (上传): policy, course-standard, profile or catalogue files, ingested, linked and indexed."""

from webapp.upload_view import render_upload_page
from webapp.shell import run_page

run_page(render_upload_page)
