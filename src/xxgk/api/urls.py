"""The API's URLs, mounted by ``xxgk.urls`` at ``/api/``: the endpoints, the OpenAPI
schema at ``openapi.json``, the docs at ``docs`` and the docs' own files."""

from django.urls import path

from .api import api
from .docs import asset

urlpatterns = [
    path("docs/assets/<str:name>", asset, name="api-docs-asset"),
    path("", api.urls),
]
