"""Imports of what a municipality already has, from a spreadsheet: a preview of
every row and every problem first, then all or nothing in one transaction."""
