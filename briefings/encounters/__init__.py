"""CBP's official monthly encounter counts, the whole domain: it has no foreign key into the desk's content.

- models.py: the counts and the areas they name; months.py: calendar and fiscal months.
- importer/: the one write path (CBP's CSV files; it tells the page cache itself); admin.py: the upload page.
- filters.py, report.py, tables.py, charts.py: what a reader asks for and the tables and charts answering it;
  views.py and api.py: the pages, downloads and API.
- official_record.py: a reported figure set beside CBP's count (the one module that reads the content models).
"""
