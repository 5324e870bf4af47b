from tests.factories import Factory


def test_organization_round_trip(factory: Factory) -> None:
    org = factory.organization()
    assert factory.context.organizations.get(org.id) == org
