"""A seed run shared by the report tests that look at whole reports (browser, byte budget)."""

import pytest
import yaml

from ordbruk.paths import PARAMS_DIR, SEEDS_DIR


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """Run every notebook on the seed corpus once per session; return the run folder."""
    from ordbruk.run import cli  # imported here: only the tests that use the run need it

    base = tmp_path_factory.mktemp("seed_run")
    params = yaml.safe_load((PARAMS_DIR / "default.yaml").read_text(encoding="utf-8"))
    params["corpus"] = str(SEEDS_DIR)
    params["cache_dir"] = str(base / "cache")
    params_file = base / "params.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    out = base / "run"
    assert cli.main(["run", "--params", str(params_file), "--out", str(out)]) == 0
    return out
