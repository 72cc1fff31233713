from __future__ import annotations

import datetime as dt

import factory

from mattran.organisations.models import AdminUnit
from mattran.organisations.tests.factories import AdminUnitFactory
from mattran.plans.models import Task, TaskGroup, WorkPlan


class WorkPlanFactory(factory.django.DjangoModelFactory[WorkPlan]):
    class Meta:
        model = WorkPlan

    unit = factory.SubFactory(AdminUnitFactory)
    title = "Kế hoạch công tác Mặt trận 6 tháng cuối năm 2022"
    period_start = dt.date(2022, 7, 1)
    period_end = dt.date(2022, 12, 31)
    period_label = "6 tháng cuối năm 2022"


class TaskGroupFactory(factory.django.DjangoModelFactory[TaskGroup]):
    class Meta:
        model = TaskGroup

    plan = factory.SubFactory(WorkPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "Công tác tuyên truyền và kỷ niệm các ngày lễ lớn"


class TaskFactory(factory.django.DjangoModelFactory[Task]):
    class Meta:
        model = Task

    group = factory.SubFactory(TaskGroupFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    deadline = dt.date(2022, 12, 31)


def task_in(unit: AdminUnit, **kwargs: object) -> Task:
    return TaskFactory(group=TaskGroupFactory(plan=WorkPlanFactory(unit=unit)), **kwargs)
