"""Reads: everything a page or a command needs, in a fixed number of queries. One module per page
family (periods, grid, rankings, tables, dashboard, units, audit); `reference` holds the year's
applicability rule and the units of a period."""
