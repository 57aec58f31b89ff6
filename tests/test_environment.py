"""environment.yml, pyproject.toml and requirements.lock stay consistent.

conda cannot be reached from these machines, so this test is what keeps the conda
wrapper honest: it must install exactly the lock file and the package, and the lock
must pin every dependency that pyproject declares, within pyproject's bounds.
"""

import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from ordbruk.paths import ROOT


def _lock_pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not an exact pin"
            pins[canonicalize_name(name.split("[")[0])] = Version(version.split(";")[0].strip())
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_environment_yml_wraps_the_lock_file():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    assert "pip" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert pip_section == ["-r requirements.lock", "-e ."]
    # a thin wrapper: no conda package other than python and pip
    assert [d for d in deps if isinstance(d, str)] == ["python=3.11", "pip"]


def test_lock_pins_every_dependency_within_bounds():
    project = _pyproject()["project"]
    pins = _lock_pins()
    reqs = [Requirement(r) for r in project["dependencies"]]
    reqs += [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    for req in reqs:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not pinned in requirements.lock"
        assert req.specifier.contains(pins[name]), f"{req.name}=={pins[name]} violates {req}"


def test_lock_is_generated_from_pyproject():
    head = (ROOT / "requirements.lock").read_text().splitlines()[:3]
    assert any("uv pip compile pyproject.toml" in line for line in head)


def test_python_version_agrees():
    assert _pyproject()["project"]["requires-python"].startswith(">=3.11")
