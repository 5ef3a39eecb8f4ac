"""The content model (SPEC §2). Import every model here so Alembic sees them all."""
from .consultation import Consultation, ConsultationStatus, Paragraph, Section, Subgroup, Version
from .content import Document, FaqItem, NewsItem
from .user import RecoveryCode, RespondentType, Role, User
from .comment import Channel, Comment, Reason, Report, Stance, Status
from .audit import ModerationEvent
from .poll import Poll, PollOption, PollResults, PollVoters, Vote
from .organisation import Organisation, OrganisationKind, Position, PositionSignature
from .workgroup import Decision, Response, ResponseStatus, Tag, WorkgroupMember
from .search import SearchEntry, SearchKind
from .follow import ConsultationEvent, EventKind, Follow
from .outbox import OutboxMessage
from .setting import Setting
from .identity import LinkedIdentity
from .theme import Theme, ThemeMember, ThemeSet
from .job import Job, JobStatus

__all__ = [
    "Consultation", "ConsultationStatus", "Version", "Section", "Paragraph", "Subgroup",
    "NewsItem", "FaqItem", "Document", "User", "Role", "RespondentType", "RecoveryCode",
    "Channel", "Comment", "Reason", "Report", "Stance", "Status", "ModerationEvent",
    "Poll", "PollOption", "PollResults", "PollVoters", "Vote", "Organisation", "OrganisationKind", "Position", "PositionSignature",
    "Decision", "Response", "ResponseStatus", "Tag", "WorkgroupMember",
    "SearchEntry", "SearchKind", "Follow", "ConsultationEvent", "EventKind", "Setting",
    "LinkedIdentity", "Theme", "ThemeMember", "ThemeSet", "Job", "JobStatus",
]
