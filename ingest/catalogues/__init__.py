"""Tabular catalogues (CSV, XLSX, JSON Lines): majors, industries, occupations, certificates, teaching standards."""
