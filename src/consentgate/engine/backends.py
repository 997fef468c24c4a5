"""Connecting the plan to an engine: DuckDB (embedded, default) or Spark (local or cluster).

The plan is the same Ibis expression on both; this module only binds the contract's tables
to a backend with canonical types (naive UTC timestamps, dates, strings, booleans).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import ibis
from ibis.backends import BaseBackend

from consentgate.contract.schema import TABLES
from consentgate.contract.source import ContractError, Source
from consentgate.engine.plan import Inputs

EngineName = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")
SPARK_MASTER_ENV = "CONSENTGATE_SPARK_MASTER"
MASTER_URL = re.compile(r"^(local(\[(\d+|\*)(,\d+)?\])?|spark://\S+|yarn|k8s://\S+)$")


@dataclass
class Engine:
    name: EngineName
    con: BaseBackend
    workdir: Path
    _closers: list = field(default_factory=list)
    # Spark: the master the session runs on (local[N], spark://HOST:PORT, ...)
    master: str | None = None

    def materialize(self, expr, name: str):
        """Compute ``expr`` once into Parquet under the work folder and read it back, so that
        later stages reuse it instead of recomputing it (and no lazy cache depends on
        temporary views)."""
        path = self.workdir / f"{name}.parquet"
        self.con.to_parquet(expr, path)
        if self.name == "duckdb":
            return self.con.read_parquet(path, table_name=name)
        self.con._session.read.parquet(str(path)).createOrReplaceTempView(name)
        return self.con.table(name)

    def read_parquet(self, files: list[Path], name: str):
        """Parquet files as one table (ibis's PySpark backend takes one path only)."""
        if self.name == "duckdb":
            return self.con.read_parquet([str(f) for f in files], table_name=name)
        self.con._session.read.parquet(*[str(f) for f in files]).createOrReplaceTempView(name)
        return self.con.table(name)

    def close(self) -> None:
        for fn in self._closers:
            fn()
        self._closers.clear()


def connect(
    name: str, workdir: Path, threads: int | None = None, memory_limit: str | None = None,
    verbose: bool = False, spark_master: str | None = None,
) -> Engine:
    """An engine with its work folder. ``verbose``: Spark's JVM log lines and progress bars
    on stderr (by default they go to a log file, ``spark_log_path()``). ``spark_master``:
    see ``spark_master_for``."""
    if name == "duckdb":
        con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
        con.raw_sql("SET TimeZone='UTC'")
        spill = workdir / "spill"
        spill.mkdir(parents=True, exist_ok=True)
        con.raw_sql(f"SET temp_directory='{spill}'")
        con.raw_sql("SET preserve_insertion_order=true")
        con.raw_sql("SET enable_progress_bar=false")
        if memory_limit:
            con.raw_sql(f"SET memory_limit='{memory_limit}'")
        return Engine("duckdb", con, workdir, [con.disconnect])
    if name == "spark":
        return _connect_spark(workdir, threads, verbose, spark_master)
    raise ContractError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def spark_log_path() -> Path:
    """Where a quiet Spark session's JVM writes its log lines (one file per process)."""
    return Path(tempfile.gettempdir()) / f"consentgate-spark-{os.getpid()}.log"


def spark_master_for(option: str | None, threads: int | None) -> str | None:
    """The master to ask for: the option, else $CONSENTGATE_SPARK_MASTER, else (under
    spark-submit, whose JVM already has its ``--master``) None, else ``local[N]``."""
    master = option or os.environ.get(SPARK_MASTER_ENV)
    if master:
        if not MASTER_URL.match(master):
            raise ContractError(
                f"Spark master {master!r} is not a master URL (local, local[N], local[*], "
                "spark://HOST:PORT, yarn, k8s://...)"
            )
        return master
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # spark-submit started us: its JVM decides
        return None
    return f"local[{threads or 2}]"


def _connect_spark(
    workdir: Path, threads: int | None, verbose: bool = False, option: str | None = None
) -> Engine:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # the optional extra
        raise ContractError(
            "the Spark engine needs the 'spark' extra: pip install 'consentgate[spark]'"
        ) from exc
    master = spark_master_for(option, threads)
    if master is None or master.startswith("local"):
        # One machine: stay on loopback. On a cluster the driver must be reachable from the
        # workers, so the address is the user's (SPARK_LOCAL_IP / spark.driver.host).
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Python workers must run the interpreter that has consentgate and its dependencies
    # (on a cluster: the same path on every worker, or PYSPARK_PYTHON set there).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = Path(tempfile.mkdtemp(prefix="spark-warehouse-", dir=workdir))
    settings = {
        "spark.app.name": "consentgate",
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "true" if verbose else "false",
        "spark.sql.warehouse.dir": str(warehouse),
        "spark.sql.shuffle.partitions": str(max(2, (threads or 2) * 2)),
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
        "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
        "spark.executorEnv.PYARROW_IGNORE_TIMEZONE": "1",
    }
    if master is not None:
        settings["spark.master"] = master
    if os.environ.get("SPARK_LOCAL_IP"):
        settings["spark.driver.host"] = os.environ["SPARK_LOCAL_IP"]
    session = SparkSession.getActiveSession()
    if session is not None and master is not None and session.sparkContext.master != master:
        session.stop()  # a session on another master (tests switch); its JVM is reused
        session = None
    if session is None:
        session = _new_spark_session(settings, verbose)
    session.sparkContext.setLogLevel("WARN" if verbose else "ERROR")
    con = ibis.pyspark.connect(session)
    # The session is shared by the process (tests reuse it); it is not stopped here.
    return Engine("spark", con, workdir, [], master=session.sparkContext.master)


def _new_spark_session(settings: dict[str, str], verbose: bool):  # type: ignore[no-untyped-def]
    """A session whose JVM writes its start-up chatter and log lines to a file instead of
    the user's terminal, unless ``verbose``."""
    from pyspark import SparkConf, SparkContext
    from pyspark.sql import SparkSession

    conf = SparkConf().setAll(list(settings.items()))
    if verbose or SparkContext._gateway is not None:  # or a JVM is already running
        return SparkSession.builder.config(conf=conf).getOrCreate()
    from pyspark.java_gateway import launch_gateway

    log = open(spark_log_path(), "ab")  # noqa: SIM115 (the JVM writes to it while it runs)
    gateway = launch_gateway(conf, popen_kwargs={"stdout": log, "stderr": log})
    context = SparkContext(conf=conf, gateway=gateway)
    return SparkSession(context)


def bind_inputs(engine: Engine, source: Source, consent: Source | None = None) -> Inputs:
    """The contract's tables on the engine, with canonical types."""
    tables = {}
    for name in TABLES:
        src = consent if (name == "preference_events" and consent is not None) else source
        tables[name] = _bind_table(engine, src, name)
    return Inputs(**tables)


def _bind_table(engine: Engine, source: Source, name: str):
    table = TABLES[name]
    if engine.name == "duckdb":
        if source.kind == "duckdb":
            alias = f"src_{hashlib.sha256(str(source.path).encode()).hexdigest()[:12]}"
            engine.con.raw_sql(f"ATTACH IF NOT EXISTS '{source.path}' AS {alias} (READ_ONLY)")
            scan = source.scan(name, alias)
        else:
            scan = source.scan(name)
        expr = engine.con.sql(f"SELECT * FROM {scan}")
    else:
        files = _parquet_files_for_spark(engine, source, name)
        view = f"cg_{name}_{hashlib.sha256(str(source.path).encode()).hexdigest()[:12]}"
        session = engine.con._session
        session.read.parquet(*[str(f) for f in files]).createOrReplaceTempView(view)
        expr = engine.con.table(view)
    casts = {}
    for col in table.columns:
        if col.type == "timestamp":
            casts[col.name] = expr[col.name].cast("timestamp")
        elif col.type == "date":
            casts[col.name] = expr[col.name].cast("date")
        elif col.type == "string":
            casts[col.name] = expr[col.name].cast("string")
        else:
            casts[col.name] = expr[col.name].cast("boolean")
    return expr.select(**casts)


def _parquet_files_for_spark(engine: Engine, source: Source, name: str) -> list[Path]:
    if source.stored_as_is(name):
        return source.parquet_files(name)
    # Spark cannot read a DuckDB file, nor a table left out or missing a column with a
    # default: export the table once, canonical types, to Parquet.
    out = engine.workdir / "spark-input" / f"{name}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists():
        source.connect().sql(f"SELECT * FROM {source.scan(name)}").write_parquet(str(out))
    return [out]
