from __future__ import annotations

import factory

from mattran.accounts.models import Role, RoleGrant, User
from mattran.organisations.models import AdminUnit

PASSWORD = "mat-khau-thu-nghiem-2024"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


def user_with_role(role: Role | str, unit: AdminUnit, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    RoleGrant.objects.create(user=user, unit=unit, role=role)
    return user
