from __future__ import annotations

from typing import Any, cast

import factory

from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, RoleGrant, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    full_name = factory.Sequence(lambda n: f"示范区测试局{n}")
    short_name = factory.Sequence(lambda n: f"测试局{n}")
    kind = UnitKind.DEPARTMENT
    display_order = factory.Sequence(lambda n: n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"张{n}")
    title = "科员"
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("zhongshu-test")

    @factory.post_generation
    def roles(obj: Person, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805  # factory_boy passes the object
        """PersonFactory(roles=[Role.LIAISON]) grants each role within the person's unit."""
        if create and extracted:
            for role in extracted:
                RoleGrant.objects.create(person=obj, role=role, unit=obj.unit)


def person_with_role(role: Role | str, unit: Unit | None = None, **kwargs: Any) -> Person:
    """A person holding `role` within `unit` (a new unit when none is given)."""
    person = PersonFactory(unit=unit or UnitFactory(), roles=[role], **kwargs)
    return cast(Person, person)
