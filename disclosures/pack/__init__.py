"""A request's pack: every record the portal holds about the person (`assembly`), with the accepted
redactions substituted (`redaction`), as a PDF and a CSV (`output`)."""
