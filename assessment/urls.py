from .urls_entry import urlpatterns as entry_urlpatterns
from .urls_tables import urlpatterns as tables_urlpatterns

urlpatterns = tables_urlpatterns + entry_urlpatterns
