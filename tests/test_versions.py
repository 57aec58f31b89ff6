"""The one package-version lookup."""

import numpy

from ordbruk.versions import package_version, packages_versions


def test_package_version_installed_and_absent():
    assert package_version("numpy") == numpy.__version__
    assert package_version("no-such-package-ordbruk") is None


def test_packages_versions_keeps_order():
    got = packages_versions(["pandas", "no-such-package-ordbruk", "numpy"])
    assert list(got) == ["pandas", "no-such-package-ordbruk", "numpy"]
    assert got["numpy"] == numpy.__version__ and got["no-such-package-ordbruk"] is None
