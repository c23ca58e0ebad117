from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "vanphong.meetings"
    label = "meetings"
    verbose_name = _("Meetings and appraisal")

    def ready(self) -> None:
        from vanphong.meetings import (  # noqa: F401  (declare permissions, policies, searchable kinds)
            permissions,
            search,
        )
