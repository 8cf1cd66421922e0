"""Thin Lambda entry points; Powertools lives here and nowhere in the domain code."""
