"""Approvals' pages, one module per workflow. Function views throughout."""
