app_name = "disclosures"
urlpatterns = []
