from django.urls import path

from motcua.demo import views

app_name = "demo"
urlpatterns = [
    path("", views.demo_accounts, name="accounts"),
]
