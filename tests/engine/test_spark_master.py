"""Which Spark master a build asks for: the option, the variable, spark-submit's, local."""

from __future__ import annotations

import pytest

from consentgate.contract.source import ContractError
from consentgate.engine.backends import SPARK_MASTER_ENV, spark_master_for


@pytest.fixture(autouse=True)
def _clean(monkeypatch) -> None:
    monkeypatch.delenv(SPARK_MASTER_ENV, raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)


def test_the_option_wins_over_the_variable(monkeypatch) -> None:
    monkeypatch.setenv(SPARK_MASTER_ENV, "local[3]")
    assert spark_master_for("spark://10.0.0.5:7077", None) == "spark://10.0.0.5:7077"
    assert spark_master_for(None, None) == "local[3]"


def test_spark_submit_keeps_its_master_unless_told(monkeypatch) -> None:
    monkeypatch.setenv("PYSPARK_GATEWAY_PORT", "40000")  # what spark-submit sets
    assert spark_master_for(None, 4) is None
    assert spark_master_for("local[1]", 4) == "local[1]"


def test_local_mode_by_default_with_the_threads() -> None:
    assert spark_master_for(None, None) == "local[2]"
    assert spark_master_for(None, 6) == "local[6]"


@pytest.mark.parametrize("url", ["local", "local[*]", "local[4,2]", "spark://h1:7077,h2:7077",
                                 "yarn", "k8s://https://10.0.0.1:6443"])
def test_master_urls_accepted(url: str) -> None:
    assert spark_master_for(url, None) == url


@pytest.mark.parametrize("url", ["127.0.0.1:7077", "spark:/h:7077", "local[two]", "sparky://h",
                                 "sc://h:15002", "mesos://h:5050"])
def test_not_a_master_url_is_refused_with_its_value(url: str, monkeypatch) -> None:
    with pytest.raises(ContractError, match="is not a master URL") as err:
        spark_master_for(url, None)
    assert repr(url) in str(err.value)
    monkeypatch.setenv(SPARK_MASTER_ENV, url)  # the variable is checked the same way
    with pytest.raises(ContractError, match="is not a master URL"):
        spark_master_for(None, None)
