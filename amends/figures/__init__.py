"""Honest figures: one definition per figure (definitions.py), the same numbers on every screen and in every export."""
