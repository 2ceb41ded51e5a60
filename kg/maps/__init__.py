"""Alignment maps of a major or a certificate, and gap analyses of a policy document (built from the store)."""
