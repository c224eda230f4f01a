"""gunicorn's settings for the portal (`gunicorn -c socialpolicy/gunicorn.conf.py ...`).

The access log keeps the method, the path, the status and the time, and never a query string or a
referrer: list filters and searches carry people's names in the query string (`?f-q=...`), and a
referrer repeats the previous page's. Paths themselves carry only record numbers.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
