from django.urls import path

from amends.cases import views

urlpatterns = [
    path("cases/", views.dashboard, name="dashboard"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("services/<int:service_id>/cases/", views.case_list, name="case_list"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/allocate/", views.case_allocate, name="case_allocate"),
    path("cases/<int:case_id>/conflict/", views.case_conflict, name="case_conflict"),
    path("cases/<int:case_id>/details/", views.case_details_edit, name="case_details_edit"),
    path("cases/<int:case_id>/steps/<slug:name>/", views.case_transition, name="case_transition"),
    path("cases/<int:case_id>/notes/add/", views.case_note_add, name="case_note_add"),
]
