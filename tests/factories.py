"""factory-boy factories shared by the suites."""

import factory
from django.contrib.auth import get_user_model

from qclub.models import AreaCoordinator, Membership, Municipality, Role, Service, ThematicArea

DEMO_PASSWORD = "qclub-test-password"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    istat_code = factory.Sequence(lambda n: f"{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Comune {n}")
    slug = factory.Sequence(lambda n: f"comune-{n}")
    province = "Trento"
    province_code = "TN"
    region = "Trentino-Alto Adige"
    population = 50000
    status = Municipality.Status.MEMBER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.OFFICER


class ThematicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicArea

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    area = factory.SubFactory(ThematicAreaFactory)
    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Servizio {n}")


class AreaCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaCoordinator

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(ThematicAreaFactory)


def officer_of(municipality, role=Role.OFFICER, **kwargs):
    """A user holding `role` in `municipality`."""
    return MembershipFactory(municipality=municipality, role=role, **kwargs).user


def solved_proof_of_work(challenge: dict | None = None) -> str:
    """What static/js/human-check.js puts in a public form's hidden field
    `altcha`: a fresh challenge of qclub.antispam, solved."""
    import base64
    import json

    import altcha

    from qclub import antispam

    challenge = challenge or antispam.new_challenge()
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"], 0
    )
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()
