"""The audit events of meetings, submissions and the weekly schedule: the vocabulary of their entries
in the audit log."""

from vanphong.core.events import declare

SUBMISSION_CREATED = declare("submission.created")
SUBMISSION_UPDATED = declare("submission.updated")
SUBMISSION_OPINIONS_REQUESTED = declare("submission.opinions_requested")
OPINION_ANSWERED = declare("opinion.answered")
MEETING_ITEM_ADDED = declare("meeting.item_added")
MEETING_CREATED = declare("meeting.created")
MEETING_UPDATED = declare("meeting.updated")
MEETING_INVITED = declare("meeting.invited")
MEETING_ATTENDANCE = declare("meeting.attendance")
MEETING_VOTE = declare("meeting.vote")
MEETING_CONCLUSION = declare("meeting.conclusion")
PAPER_OPENED = declare("paper.opened")
SCHEDULE_CREATED = declare("schedule.created")
SCHEDULE_ENTRY_SAVED = declare("schedule.entry_saved")
SCHEDULE_APPROVED = declare("schedule.approved")
SCHEDULE_PUBLISHED = declare("schedule.published")
CALENDAR_FEED_RENEWED = declare("calendar_feed.renewed")
CALENDAR_FEED_REVOKED = declare("calendar_feed.revoked")
# The transitions of submissions and meetings are declared by their workflows (meetings.workflow).
