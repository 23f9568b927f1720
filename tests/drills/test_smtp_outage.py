"""SMTP server down for a whole burst of outbox messages, then up.

The messages are enqueued straight into the outbox with outbox_enqueue,
as a reminder run would in its transaction.  While the server is down
each is tried and put back; once it is up every message arrives exactly
once, counted by Message-ID in the sink's maildir, and nothing is sent
again afterwards.
"""
import collections
import time

import pytest

from conftest import drill_config, wait_for
from test_mail import configure, count_ids, enqueue_many, messages, statuses, Sink

BURST = 200


@pytest.fixture
def sink(tmp):
    s = Sink(tmp / "mail")          # its port is chosen; nobody listens yet
    yield s
    s.stop()


def test_smtp_down_for_a_burst_then_each_message_once(db, daemons, sink):
    down_for = 5
    configure(db, sink.port, concurrency=4)
    drill_config(db)
    ids = enqueue_many(db, "drill-burst:", BURST)
    m = daemons(db).start()
    # Every message tried at least once and put back, none sent.
    assert wait_for(lambda: db.psql(
        "SELECT count(*) FILTER (WHERE attempts >= 1 AND status = 'queued') "
        "FROM outbox") == str(BURST), 30), m.log_text()
    time.sleep(down_for)
    assert statuses(db) == {"queued": BURST}

    sink.start()
    assert wait_for(lambda: statuses(db) == {"sent": BURST}, 60), statuses(db)
    assert wait_for(lambda: len(messages(sink.dir)) >= BURST, 10)
    # A little longer: a message sent twice would show up now.
    time.sleep(3)
    got = count_ids(sink.dir)
    assert got == collections.Counter({i: 1 for i in ids}), \
        [i for i, n in got.items() if n != 1][:10]
    m.stop()
    m.assert_clean_log()
