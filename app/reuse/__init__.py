"""Reuse: adoptions of practices by other organisations and their support requests to the donors (issue 6)."""
