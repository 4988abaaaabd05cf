"""What `manage.py bench` serves besides the project's pages: an empty view (the server's ceiling) and
the B1 floors (a page's cells, pre-formatted in memory, through a template that extends base.html)."""
