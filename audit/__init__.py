"""The audit trail: an append-only, hash-chained record of who did what, and who viewed what.

This is the ground layer of the portal: it imports no other app of the project.
"""
