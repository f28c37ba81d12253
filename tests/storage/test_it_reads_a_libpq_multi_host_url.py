"""A city names its primary and its standby in one libpq URL; the engine and the LISTEN
connection must both hand libpq the whole host list, or a failover strands them."""

from __future__ import annotations

from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from queue_server.live.pg_listener import conninfo
from queue_server.storage.engine import normalise_url

MULTI = "postgresql://hallq:s3cret@db1:5432,db2:5433/city?target_session_attrs=read-write"


def test_the_engine_gets_every_host_and_the_session_attribute() -> None:
    url = make_url(normalise_url(MULTI))
    assert url.drivername == "postgresql+psycopg"
    assert url.query["host"] == ("db1:5432", "db2:5433")
    _args, params = create_engine(url).dialect.create_connect_args(url)
    assert params["host"] == "db1,db2"
    assert params["port"] == "5432,5433"
    assert params["target_session_attrs"] == "read-write"
    assert (params["dbname"], params["user"], params["password"]) == ("city", "hallq", "s3cret")


def test_the_listen_connection_gets_the_same_host_list() -> None:
    params = conninfo_to_dict(conninfo(make_url(normalise_url(MULTI))))
    assert params["host"] == "db1,db2"
    assert params["port"] == "5432,5433"
    assert params["target_session_attrs"] == "read-write"
    assert params["password"] == "s3cret"


def test_a_single_host_url_keeps_its_options() -> None:
    single = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dt_1"
    assert normalise_url(single) == single
    params = conninfo_to_dict(conninfo(make_url(single)))
    assert params == {
        "host": "127.0.0.1",
        "port": "5432",
        "dbname": "test",
        "user": "postgres",
        "options": "-csearch_path=t_1",
    }
    assert normalise_url("postgres://u@h/d").startswith("postgresql+psycopg://u@h/d")
