"""The JSON API (django-ninja): the same applications, validation and permissions as the
pages, for other systems and for scripts.

``api.py`` builds the one ``NinjaAPI``; ``applications.py`` holds the endpoints, which call
``applications.actions`` and nothing else to change an application; ``schemas.py`` holds
the request and response shapes; ``docs.py`` serves the interactive docs without a CDN.
"""
