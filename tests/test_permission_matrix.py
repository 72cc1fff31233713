"""Every staff URL, as every demo role, on an object inside and outside the role's scope.

The URL list is read from the resolver, so a new view under /quan-ly/ is covered the day it is added; a view
whose URL takes an object this test does not know how to make fails the test until a maker is added below.
Out of scope the answer is 403 or 404 (302 to the login page for anonymous visitors) — never the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mattran.accounts.models import Role, RoleGrant, User
from mattran.accounts.permissions import can
from mattran.accounts.tests.factories import UserFactory, user_with_role
from mattran.conferences.models import AgendaItem, Conclusion
from mattran.conferences.tests.factories import conference_in
from mattran.funds.tests import disbursement_factories as disbursements
from mattran.funds.tests import factories as funds
from mattran.funds.tests.import_factories import import_job_in
from mattran.news.tests.factories import ArticleFactory, CommentFactory
from mattran.organisations.models import AdminUnit
from mattran.organisations.tests.factories import PersonFactory, build_tree
from mattran.plans.tests.factories import WorkPlanFactory, task_in
from mattran.reports.models import ReportSection, ReportStatus
from mattran.reports.tests.factories import PeriodFactory, ReportFactory

STAFF_PREFIX = "quan-ly/"

# How to make an object that lives in a given unit, for each URL keyword a staff view takes. Each object's
# visible text contains SECRET and the unit's name, so a leak shows in the response body.
SECRET = "Hồ sơ mật"
Maker = Callable[[AdminUnit], int]
MAKERS: dict[str, Maker] = {
    "unit_id": lambda unit: unit.pk,
    "grant_id": lambda unit: RoleGrant.objects.create(
        user=UserFactory(full_name=f"{SECRET} {unit.short_name}"), unit=unit, role=Role.CADRE).pk,
    "member_id": lambda unit: RoleGrant.objects.create(
        user=UserFactory(full_name=f"{SECRET} {unit.short_name}"), unit=unit, role=Role.CADRE).user_id,
    "person_id": lambda unit: PersonFactory(unit=unit, full_name=f"{SECRET} {unit.short_name}").pk,
    "article_id": lambda unit: ArticleFactory(unit=unit, title=f"{SECRET} {unit.short_name}", draft=True).pk,
    "comment_id": lambda unit: CommentFactory(
        article=ArticleFactory(unit=unit), body=f"{SECRET} {unit.short_name}"
    ).pk,
    "conference_id": lambda unit: conference_in(unit, place=f"{SECRET} {unit.short_name}").pk,
    "agenda_item_id": lambda unit: AgendaItem.objects.create(
        conference=conference_in(unit), order=1, title=f"{SECRET} {unit.short_name}").pk,
    "conclusion_id": lambda unit: Conclusion.objects.create(
        conference=conference_in(unit), order=1, text=f"{SECRET} {unit.short_name}").pk,
    "plan_id": lambda unit: WorkPlanFactory(unit=unit, title=f"{SECRET} {unit.short_name}").pk,
    "task_id": lambda unit: task_in(unit, title=f"{SECRET} {unit.short_name}").pk,
    "report_id": lambda unit: _report_in(unit).pk,
    "period_id": lambda unit: PeriodFactory().pk,
    "job_id": lambda unit: import_job_in(unit, holder=f"{SECRET} {unit.short_name}").pk,
    "fund_id": lambda unit: funds.fund_in(unit, name=f"{SECRET} {unit.short_name}").pk,
    "drive_id": lambda unit: funds.drive_in(unit, title=f"{SECRET} {unit.short_name}").pk,
    "pledge_id": lambda unit: funds.pledge_in(unit, note=f"{SECRET} {unit.short_name}").pk,
    "account_id": lambda unit: funds.ReceivingAccountFactory(
        unit=unit, holder_name=f"{SECRET} {unit.short_name}").pk,
    "receipt_id": lambda unit: funds.receipt_in(unit, payer_name=f"{SECRET} {unit.short_name}").pk,
    "entry_id": lambda unit: funds.entry_in(unit, memo=f"{SECRET} {unit.short_name}").pk,
    "allocation_id": lambda unit: disbursements.allocation_in(
        disbursements.drive_in(unit), recipient_name=f"{SECRET} {unit.short_name}", created_by=UserFactory()).pk,
    "payment_id": lambda unit: disbursements.payment_in(disbursements.allocation_in(
        disbursements.drive_in(unit), recipient_name=f"{SECRET} {unit.short_name}", created_by=UserFactory()),
        created_by=UserFactory()).pk,
}

# Views whose permission is checked on the unit *above* the object's unit: the upper unit reviews a report.
CHECKED_ON_PARENT = {"reports:report_return", "reports:report_approve"}


def _report_in(unit: AdminUnit) -> Any:
    report = ReportFactory(unit=unit, status=ReportStatus.SUBMITTED)
    section = report.template.sections.first()
    ReportSection.objects.create(report=report, section=section, text=f"{SECRET} {unit.short_name}")
    return report


@dataclass(frozen=True)
class StaffRoute:
    name: str
    kwargs: tuple[str, ...]
    action: Any


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def staff_routes() -> list[StaffRoute]:
    routes = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(STAFF_PREFIX):
            continue
        action = getattr(pattern.callback, "required_action", None)
        assert action is not None, f"/{route} does not declare its permission with staff_view()"
        routes.append(StaffRoute(f"{namespace}{pattern.name}", tuple(pattern.pattern.regex.groupindex), action))
    return routes


ROUTES = staff_routes()


@dataclass
class World:
    tree: dict[str, AdminUnit]
    users: dict[str, User | None]


# (user label, unit in scope, unit out of scope) — the demo roles and where each one is granted.
CASES = [
    ("thuong_truc_quan", "district", "other_commune"),
    ("can_bo_bach_mai", "bach_mai", "vinh_tuy"),
    ("can_bo_vinh_tuy", "vinh_tuy", "bach_mai"),
    ("bien_tap_quan", "bach_mai", "other_commune"),
    ("theo_doi_bach_mai", "bach_mai", "vinh_tuy"),
    ("cu_dan", None, "bach_mai"),
    ("an_danh", None, "bach_mai"),
    ("quan_tri", "other_commune", None),
]


@pytest.fixture
def world(db: None) -> World:
    tree = build_tree()
    users: dict[str, User | None] = {
        "thuong_truc_quan": user_with_role(Role.STANDING, tree["district"]),
        "can_bo_bach_mai": user_with_role(Role.CADRE, tree["bach_mai"]),
        "can_bo_vinh_tuy": user_with_role(Role.CADRE, tree["vinh_tuy"]),
        "bien_tap_quan": user_with_role(Role.EDITOR, tree["district"]),
        "theo_doi_bach_mai": user_with_role(Role.VIEWER, tree["bach_mai"]),
        "cu_dan": UserFactory(),
        "an_danh": None,
        "quan_tri": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(tree, users)


def _request(client: Client, url: str) -> tuple[str, int, str]:
    """GET the URL; POST-only actions (publish, approve…) answer 405 to that and are exercised with POST.

    Returns the method, the status and the body, or for a redirect the body followed by its target.
    """
    response = client.get(url)
    method = "GET"
    if response.status_code == 405:
        response = client.post(url)
        method = "POST"
    text = response.content.decode(errors="replace")
    if response.status_code in (301, 302):
        text += " " + response["Location"]
    return method, response.status_code, text


def _url(route: StaffRoute, unit: AdminUnit) -> str:
    missing = [k for k in route.kwargs if k not in MAKERS]
    assert not missing, f"{route.name}: add a maker for {missing} to the permission matrix"
    return reverse(route.name, kwargs={k: MAKERS[k](unit) for k in route.kwargs})


def test_every_staff_url_is_in_the_matrix() -> None:
    names = {r.name for r in ROUTES}
    assert {"workspace:dashboard", "workspace:unit_detail", "workspace:person_detail", "workspace:audit_log"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize(("label", "in_scope", "out_of_scope"), CASES, ids=[c[0] for c in CASES])
def test_no_staff_url_leaks_out_of_scope(
    world: World, route: StaffRoute, label: str, in_scope: str | None, out_of_scope: str | None
) -> None:
    user = world.users[label]
    client = Client()
    if user is not None:
        client.force_login(user)

    if out_of_scope is not None and route.kwargs:
        unit = world.tree[out_of_scope]
        url = _url(route, unit)
        method, status, body = _request(client, url)
        if user is None:
            assert status == 302 and "/dang-nhap/" in body, f"anonymous {method} {url} answered {status}"
        else:
            assert status in (403, 404), f"{label} {method} {url} out of scope answered {status}"
            assert f"{SECRET} {unit.short_name}" not in body

    if in_scope is not None:
        unit = world.tree[in_scope]
        url = _url(route, unit)
        method, status, _body = _request(client, url)
        target = unit.parent if route.name in CHECKED_ON_PARENT else unit
        allowed = target is not None and can(user, route.action, target if route.kwargs else None)
        if allowed:
            assert status in (200, 302), f"{label} {method} {url} in scope answered {status}"
        else:
            assert status in (403, 404), f"{label} {method} {url} without the right answered {status}"
    elif user is not None and not route.kwargs:
        # A resident has no scope at all: every staff page is refused.
        method, status, _body = _request(client, reverse(route.name))
        assert status == 403, f"{label} {method} {route.name} answered {status}"
