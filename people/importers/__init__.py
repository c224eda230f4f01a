"""Importers of the registry: files from the school's MIS become one plan (`plan.py`), previewed,
then applied all or nothing (`people.services.imports`).

- `ctf.py`: the DfE Common Transfer File (XML), parsed with defusedxml;
- `csvfile.py`: the portal's own CSV columns;
- `records.py`: what both parsers hand to the plan: people matched by reference, contacts, refusals.
"""
