"""The workspace menu. Each module adds its entry here; an entry shows only to users who may use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mattran.accounts.permissions import Action, can


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    action: Action
    section: str  # the first path segment under /quan-ly/, to mark the current page


ENTRIES = [
    NavEntry(_("Tổng quan"), "workspace:dashboard", Action.WORKSPACE, ""),
    NavEntry(_("Tổ chức, nhân sự"), "workspace:unit_list", Action.VIEW_UNIT, "don-vi"),
    NavEntry(_("Hội nghị"), "conferences:conference_list", Action.VIEW_UNIT, "hoi-nghi"),
    NavEntry(_("Kế hoạch công tác"), "plans:plan_list", Action.VIEW_UNIT, "ke-hoach"),
    NavEntry(_("Báo cáo định kỳ"), "reports:report_list", Action.REPORT_VIEW, "bao-cao"),
    NavEntry(_("Văn bản"), "documents:register", Action.VIEW_UNIT, "van-ban"),
    NavEntry(_("Tin tức"), "news_staff:article_list", Action.EDIT_NEWS, "tin-tuc"),
    NavEntry(_("Duyệt bình luận"), "news_staff:comment_queue", Action.MODERATE_COMMENTS, "binh-luan"),
    NavEntry(_("Quỹ, vận động"), "funds:drive_list", Action.FUNDS_MANAGE, "quy"),
    NavEntry(_("Nhật ký hoạt động"), "workspace:audit_log", Action.VIEW_AUDIT, "nhat-ky"),
]


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    rest = current_path.split("/quan-ly/", 1)[-1]
    section = rest.split("/", 1)[0]
    return [
        {"label": e.label, "url": reverse(e.url_name), "current": e.section == section}
        for e in ENTRIES
        if can(user, e.action)
    ]
