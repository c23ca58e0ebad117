"""The audit events of the follow-up of tasks: the vocabulary of its entries in the audit log."""

from vanphong.core.events import declare

FOLLOWUP_REMINDERS_SENT = declare("followup.reminders.sent")
FOLLOWUP_SOURCE_CREATED = declare("followup.source.created")
FOLLOWUP_FILE_OPENED = declare("followup.file.opened")
FOLLOWUP_URGING_LETTER = declare("followup.urging_letter")
TASK_CREATED = declare("followup.task.created")
TASK_WEIGHT = declare("followup.task.weight")
TASK_ROLLED_UP = declare("followup.task.rolled_up")
TASK_OCCURRENCE = declare("followup.task.occurrence")
TASK_EVALUATED = declare("followup.task.evaluated")
TASK_CANCELLED = declare("followup.task.cancelled")
REPORT_SUBMITTED = declare("followup.report.submitted")
REPORT_ACCEPTED = declare("followup.report.accepted")
REPORT_RETURNED = declare("followup.report.returned")
EXTENSION_REQUESTED = declare("followup.extension.requested")
EXTENSION_APPROVED = declare("followup.extension.approved")
EXTENSION_REFUSED = declare("followup.extension.refused")
