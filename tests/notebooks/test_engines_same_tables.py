"""The same study, the same numbers: one shard or several, in-process or on a Dask cluster.

Issue 14 item 4: every notebook on the seed corpus, prepared as one shard in this process
(engine serial), as many shards on the local process pool (local:2) and as many shards on a
``distributed.LocalCluster`` of two worker processes, gives byte-identical tables and figures
(the topic fits' wall-clock columns aside, as between two runs of one setting).
"""

import json
import shutil

import pytest
import yaml
from conftest import outputs_differ

from ordbruk.paths import PARAMS_DIR, SEEDS_DIR
from ordbruk.run import cli

pytestmark = pytest.mark.slow
SHARD_TOKENS = 400  # the seeds: 4 shards of whole documents


def study(base, engine: str, shard_tokens: int | None):
    """Run every notebook; each setting has its own cache, so it prepares the corpus itself."""
    params = yaml.safe_load((PARAMS_DIR / "default.yaml").read_text(encoding="utf-8"))
    params["corpus"] = str(SEEDS_DIR)
    params["cache_dir"] = str(base / "cache")
    params["engine"] = engine
    if shard_tokens:
        params["shard_tokens"] = shard_tokens
    path = base / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    out = base / "run"
    assert cli.main(["run", "--params", str(path), "--out", str(out)]) == 0
    return out, json.loads((out / "provenance.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    distributed = pytest.importorskip("distributed")
    made = {}
    for name, engine, shard_tokens in (("one", "serial", None), ("many", "local:2", SHARD_TOKENS)):
        made[name] = study(tmp_path_factory.mktemp(name), engine, shard_tokens)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        base = tmp_path_factory.mktemp("dask")
        made["dask"] = study(base, cluster.scheduler_address, SHARD_TOKENS)
    yield made
    for out, _ in made.values():
        shutil.rmtree(out.parent, ignore_errors=True)


def test_the_settings_prepared_as_intended(runs):
    engines = {name: prov["preparation"]["engine"] for name, (_, prov) in runs.items()}
    assert engines["one"]["kind"] == "serial" and engines["one"]["shards"] == 1, engines
    assert engines["many"]["kind"] == "local" and engines["many"]["shards"] >= 3, engines
    assert engines["dask"]["kind"] == "dask" and engines["dask"]["workers"] == 2, engines
    assert engines["dask"]["shards"] == engines["many"]["shards"]


@pytest.mark.parametrize("other", ["many", "dask"])
def test_tables_and_figures_are_byte_identical(runs, other):
    one, _ = runs["one"]
    assert sorted((one / "tables").glob("*.csv")) and sorted((one / "figures").glob("*.svg"))
    assert outputs_differ(one, runs[other][0]) == {}
