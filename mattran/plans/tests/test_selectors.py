from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.plans import selectors
from mattran.plans.models import TaskStatus
from mattran.plans.tests.factories import TaskFactory, WorkPlanFactory, task_in

pytestmark = pytest.mark.django_db


def test_ward_cadre_sees_only_their_wards_plans(tree: dict[str, Any]) -> None:
    mine = WorkPlanFactory(unit=tree["bach_mai"])
    WorkPlanFactory(unit=tree["vinh_tuy"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    assert list(selectors.plans_visible_to(user=cadre)) == [mine]


def test_plan_and_task_of_another_ward_are_404(tree: dict[str, Any]) -> None:
    task = task_in(tree["vinh_tuy"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    with pytest.raises(Http404):
        selectors.plan_get_visible(user=cadre, plan_id=task.group.plan_id)
    with pytest.raises(Http404):
        selectors.task_get_visible(user=cadre, task_id=task.pk)


def test_list_counts_done_and_live_tasks(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"], status=TaskStatus.DONE)
    TaskFactory(group=task.group)
    TaskFactory(group=task.group, status=TaskStatus.CANCELLED)
    standing = user_with_role(Role.STANDING, tree["district"])
    plan = selectors.plans_visible_to(user=standing).get()
    assert (plan.done_count, plan.task_count) == (1, 2)
