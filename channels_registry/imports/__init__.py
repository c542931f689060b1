"""The accounts a municipality already has, read in from a spreadsheet (issue 16):
a preview of every row and every problem first, then all or nothing in one
transaction, through the register's own services."""
