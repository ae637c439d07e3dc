from django.urls import path

from qclub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profilo/", views.account, name="account"),
    path("verifica/", views.verify, name="verify"),
    path("2fa/", views.enrol, name="enrol"),
    path("chiavi-api/", views.api_tokens, name="api_tokens"),
    path("chiavi-api/<str:key>/revoca/", views.api_token_revoke, name="api_token_revoke"),
]
