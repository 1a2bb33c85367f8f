"""Pieces the pages share: the plan and its editors, cards, charts, tables, downloads."""
