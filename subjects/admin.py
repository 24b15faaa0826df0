"""Subjects are absent from the admin: every change goes through ``subjects.services`` so that
it is validated, need-to-know scoped and audited (STYLE rule 12)."""
