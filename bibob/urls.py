app_name = "bibob"
urlpatterns: list = []
