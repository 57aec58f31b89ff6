import pytest

from ordbruk.rhetoric.speaker_levels import level_infer


@pytest.mark.parametrize(
    ("org", "role", "level"),
    [
        ("Borlänge kommun", "", "local"),
        ("Malmö stad", "", "local"),
        ("Länsstyrelsen i Stockholms län", "", "regional"),
        ("Region Stockholm", "", "regional"),
        ("Landstinget i Värmland", "", "regional"),
        ("Arbetsmarknadsdepartementet", "", "national"),
        ("Migrationsverket", "", "national"),
        ("Regeringen", "", "national"),
        ("Göteborgs universitet", "", "other"),
        ("Sveriges Kommuner och Regioner", "", "other"),
        ("Teknikföretagen", "vd", "unknown"),
        ("", "kommunikatör", "unknown"),  # "kommun..." inside "kommunikatör" is not a municipality
        ("", "socialminister", "national"),
        ("", "", "unknown"),
    ],
)
def test_level_infer(org, role, level):
    assert level_infer(org, role) == level
