from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from mattran.accounts.models import Role, RoleGrant
from mattran.accounts.permissions import ROLE_ACTIONS, Action, can, require, units_where
from mattran.accounts.tests.factories import PASSWORD, UserFactory, user_with_role
from mattran.organisations.models import AdminUnit
from mattran.organisations.tests.factories import AdminUnitFactory, build_tree


@pytest.mark.django_db
class TestTreePolicy:
    def test_a_role_on_a_district_applies_to_its_wards_but_not_to_other_provinces(self) -> None:
        tree = build_tree()
        cadre = user_with_role(Role.STANDING, tree["district"])
        assert can(cadre, Action.CHANGE_UNIT, tree["district"])
        assert can(cadre, Action.CHANGE_UNIT, tree["bach_mai"])
        assert not can(cadre, Action.VIEW_UNIT, tree["hanoi"])
        assert not can(cadre, Action.VIEW_UNIT, tree["other_commune"])

    def test_a_ward_cadre_reaches_only_its_ward(self) -> None:
        tree = build_tree()
        cadre = user_with_role(Role.CADRE, tree["bach_mai"])
        assert set(units_where(cadre, Action.VIEW_UNIT)) == {tree["bach_mai"]}
        assert not can(cadre, Action.VIEW_UNIT, tree["vinh_tuy"])
        assert not can(cadre, Action.VIEW_UNIT, tree["district"])

    def test_an_editor_cannot_change_units_or_see_contacts(self) -> None:
        tree = build_tree()
        editor = user_with_role(Role.EDITOR, tree["district"])
        assert can(editor, Action.PUBLISH_NEWS, tree["bach_mai"])
        assert not can(editor, Action.CHANGE_UNIT, tree["bach_mai"])
        assert not can(editor, Action.VIEW_CONTACTS, tree["district"])

    def test_residents_and_anonymous_visitors_are_denied_everything(self) -> None:
        tree = build_tree()
        resident = UserFactory()
        for user in (resident, AnonymousUser()):
            for action in Action:
                assert not can(user, action, tree["bach_mai"])
                assert not can(user, action)
                assert not units_where(user, action).exists()
            with pytest.raises(PermissionDenied):
                require(user, Action.VIEW_UNIT, tree["bach_mai"])

    def test_an_inactive_user_loses_every_grant(self) -> None:
        tree = build_tree()
        cadre = user_with_role(Role.STANDING, tree["district"], is_active=False)
        assert not can(cadre, Action.VIEW_UNIT, tree["bach_mai"])
        assert not units_where(cadre, Action.VIEW_UNIT).exists()

    def test_superusers_may_do_everything(self) -> None:
        tree = build_tree()
        admin = UserFactory(is_superuser=True)
        assert can(admin, Action.VIEW_AUDIT, tree["other_commune"])
        assert units_where(admin, Action.VIEW_AUDIT).count() == AdminUnit.objects.count()

    def test_grants_are_loaded_once_per_user_object(self, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
        tree = build_tree()
        cadre = user_with_role(Role.CADRE, tree["bach_mai"])
        with django_assert_num_queries(1):
            for _ in range(5):
                can(cadre, Action.VIEW_UNIT, tree["bach_mai"])
                can(cadre, Action.VIEW_UNIT, tree["vinh_tuy"])


@pytest.mark.django_db
class TestDemoAccountsLogin:
    def test_demo_accounts_cannot_log_in_unless_demo_mode_is_on(self, client) -> None:  # type: ignore[no-untyped-def]
        UserFactory(username="demo", is_demo=True)
        with override_settings(DEMO_MODE=False):
            assert not client.login(username="demo", password=PASSWORD)
        with override_settings(DEMO_MODE=True):
            assert client.login(username="demo", password=PASSWORD)

    def test_ordinary_accounts_log_in_whatever_the_mode(self, client) -> None:  # type: ignore[no-untyped-def]
        UserFactory(username="real")
        with override_settings(DEMO_MODE=False):
            assert client.login(username="real", password=PASSWORD)


class TestPolicyProperties(HypothesisTestCase):
    """``can`` and ``units_where`` agree for any tree and any set of grants."""

    @settings(max_examples=25, deadline=None)
    @given(
        parents=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=14),
        grants=st.lists(
            st.tuples(st.integers(min_value=0, max_value=14), st.sampled_from(list(ROLE_ACTIONS))),
            max_size=4,
        ),
        action=st.sampled_from(list(Action)),
    )
    def test_can_and_units_where_agree(self, parents: list[int], grants: list[tuple[int, str]], action: Action) -> None:
        root = AdminUnitFactory()
        units = [root]
        for choice in parents:
            units.append(AdminUnitFactory(parent=units[choice % len(units)]))
        user = UserFactory()
        for index, role in grants:
            RoleGrant.objects.get_or_create(user=user, unit=units[index % len(units)], role=role)
        allowed = set(units_where(user, action))
        for unit in units:
            assert can(user, action, unit) == (unit in allowed)
            # A unit is allowed exactly when some ancestor-or-self holds a grant whose role includes the action.
            expected = any(
                action in ROLE_ACTIONS[g.role] and unit.path.startswith(g.unit.path)
                for g in RoleGrant.objects.filter(user=user).select_related("unit")
            )
            assert can(user, action, unit) == expected
