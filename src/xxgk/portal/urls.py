"""The public pages' addresses. The 政府信息公开 column lives under /xxgk/, with the pinyin
abbreviations government portals use for its columns (fdzdgknr: 法定主动公开内容, gkzd:
公开制度); category codes are the catalogue tree's (``catalog/tree.py``)."""

from django.urls import path

from .views import catalogue, items, pages, policies, preferences

app_name = "portal"
urlpatterns = [
    path("", pages.home, name="home"),
    path("guide/", pages.guide, name="guide"),
    path("display/<str:mode>/", preferences.display, name="display"),
    path("language/", preferences.language, name="language"),
    path("xxgk/", pages.column, name="column"),
    path("xxgk/gkzd/", pages.rules, name="rules"),
    path("xxgk/fdzdgknr/", catalogue.tree, name="catalogue"),
    path("xxgk/fdzdgknr/<slug:code>/", catalogue.category_items, name="category"),
    path("xxgk/agency/<str:code>/", catalogue.agency_items, name="agency"),
    path("xxgk/list/", catalogue.all_items, name="all"),
    path("xxgk/item/<int:pk>/", items.item, name="item"),
    path("xxgk/item/<int:pk>/files/<int:file_id>/", items.attachment, name="attachment"),
    path("xxgk/policies/", policies.library, name="policies"),
]
