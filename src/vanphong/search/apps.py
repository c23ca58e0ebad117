from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "vanphong.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from vanphong.core import jobs
        from vanphong.search import indexing
        from vanphong.search.tasks import start_worker_thread

        indexing.connect_signals()
        jobs.register("search.ocr", start_worker_thread)
