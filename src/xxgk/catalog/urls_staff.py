"""Staff pages of the catalogue (wired by xxgk.urls under /staff/catalog/)."""

from django.urls import path

from . import views_staff as views

app_name = "catalog_staff"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("review/", views.review_queue, name="review"),
    path("tree/", views.tree, name="tree"),
    path("tree/<int:pk>/", views.tree_node, name="node"),
    path("tree/<int:pk>/move/<str:direction>/", views.tree_node_move, name="node_move"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/correct/", views.item_correct, name="correct"),
    path("<int:pk>/steps/<slug:step>/", views.item_step, name="step"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download,
         name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove,
         name="remove_attachment"),
]
