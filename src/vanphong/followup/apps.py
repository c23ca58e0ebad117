from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "vanphong.followup"
    label = "followup"
    verbose_name = _("Follow-up of tasks")

    def ready(self) -> None:
        from vanphong.followup import jobs, permissions  # noqa: F401  (declare permissions and policies)

        jobs.register()
