"""
Reminders (src/domain/remind.c, issue 17): reporting duties, briefings of a
cluster, tasks and recommendations due within N days or overdue, for the
users responsible for them - on /notifications and the bell of every page,
and as a daily e-mail digest through an SMTP relay (`giapranh remind
--send`, or the server itself with --remind-daily), sent once per user and
day.  The relay is a local sink started by the tests (smtp_sink.py).
"""
import datetime
import html
import os
import re
import signal
import tempfile
from zoneinfo import ZoneInfo

import pytest

from conftest import (BACHA_COMMUNE, SIMACAI, SHUTDOWN_TIMEOUT, _fresh_db, _start, describe,
                      organisation, run_cli, unique)
from smtp_sink import SmtpSink

SENDER = "giapranh@example.org"


def text_of(page):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def iso(d):
    return d.isoformat()


@pytest.fixture(scope="module")
def today():
    # the server's "today" is Vietnam's (base/clock.h): between 17:00 and
    # 24:00 UTC it is already tomorrow there
    return datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


@pytest.fixture(scope="module")
def items(server, today):
    """Records that fall due, in Si Ma Cai and in a commune of Bắc Hà, and the test
    users' addresses."""
    admin = server.api("admin")
    simacai, bacha = server.unit_id(SIMACAI), server.unit_id(BACHA_COMMUNE)
    org = admin.create("organisation", organisation(unit_id=simacai))
    out = {"org": org}
    out["task_soon"] = admin.create("task", {
        "title": unique("Hoàn thiện hồ sơ mốc giới"), "assignee_unit_id": simacai,
        "assigned_on": iso(today - datetime.timedelta(days=20)),
        "deadline": iso(today + datetime.timedelta(days=3))})
    out["task_late"] = admin.create("task", {
        "title": unique("Báo cáo tình hình xuất nhập cảnh"), "assignee_unit_id": bacha,
        "assigned_on": iso(today - datetime.timedelta(days=20)),
        "deadline": iso(today - datetime.timedelta(days=2))})
    out["task_far"] = admin.create("task", {
        "title": unique("Việc còn xa"), "assignee_unit_id": simacai,
        "assigned_on": iso(today), "deadline": iso(today + datetime.timedelta(days=60))})
    out["rec"] = admin.create("recommendation", {
        "title": unique("Kiến nghị sửa đường tuần tra"), "from_org_id": org["id"],
        "to_org_id": org["id"], "status": "submitted",
        "raised_on": iso(today - datetime.timedelta(days=40))})
    # a yearly duty whose last year's report is due in two days
    target_set = admin.list("target_set", limit=1, sort="id")["items"][0]
    due = today + datetime.timedelta(days=2)
    due_day = (due - datetime.date(today.year - 1, 12, 31)).days
    if due_day > 366:
        due_day -= 1
        due -= datetime.timedelta(days=1)
    out["duty"] = admin.create("reporting_duty", {
        "target_set_id": target_set["id"], "reporter_unit_id": simacai,
        "recipient_org_id": org["id"], "frequency": "yearly", "due_day": due_day})
    out["duty_due"] = due
    out["target_set"] = target_set
    out["emails"] = {}
    for key in ("simacai_editor", "bacha_commune_editor"):
        address = f"{key.replace('_', '.')}@example.org"
        r = admin.patch(f"/api/v1/app_user/{server.user_id(key)}", json={"email": address})
        assert r.status_code == 200, describe(r)
        out["emails"][key] = address
    return out


def notifications(s, days=7):
    r = s.get("/notifications", params={"days": days})
    assert r.status_code == 200, describe(r)
    return r


def test_notifications_are_each_users_own(server, items, today):
    soon, late, far = (items[k]["title"] for k in ("task_soon", "task_late", "task_far"))
    s = server.sign_in("simacai_editor")
    page = text_of(notifications(s).text)
    assert soon in page and "còn 3 ngày" in page
    assert items["rec"]["title"] in page and "quá hạn 10 ngày" in page
    assert "Chế độ báo cáo" in page and items["target_set"]["name"] in page
    assert f"hạn {items['duty_due'].strftime('%d/%m/%Y')}" in page
    assert "Giao ban cụm" in page  # the demo clusters of Si Ma Cai's communes
    assert late not in page and far not in page
    assert "Thư tổng hợp hằng ngày gửi đến simacai.editor@example.org" in page
    assert far in text_of(notifications(s, days=90).text)

    b = text_of(notifications(server.sign_in("bacha_commune_editor")).text)
    assert late in b and "quá hạn 2 ngày" in b
    assert soon not in b and items["rec"]["title"] not in b

    everything = text_of(notifications(server.sign_in("viewer")).text)
    assert soon in everything and late in everything  # a national grant


def test_the_bell_counts_them_on_every_page(server, items):
    s = server.sign_in("simacai_editor")
    page = notifications(s).text
    m = re.search(r"<strong>(\d+)</strong> việc quá hạn, <strong>(\d+)</strong> việc đến hạn",
                  page)
    assert m, page[:2000]
    total = int(m.group(1)) + int(m.group(2))
    for path in ("/", "/e/task", "/import"):
        r = s.get(path)
        assert r.status_code == 200, describe(r)
        bell = re.search(r'<a href="/notifications" class="bell has-notices"[^>]*>.*?'
                         r'<span class="count">(\d+)</span></a>', r.text, re.S)
        assert bell and int(bell.group(1)) == total, (path, total)
    # a write changes the count at once (the cache follows the data version)
    admin = server.api("admin")
    extra = admin.create("task", {"title": unique("Việc mới giao"),
                                  "assignee_unit_id": server.unit_id(SIMACAI),
                                  "assigned_on": items["task_soon"]["assigned_on"],
                                  "deadline": items["task_soon"]["deadline"]})
    bell = re.search(r'<span class="count">(\d+)</span>', s.get("/").text)
    assert int(bell.group(1)) == total + 1
    assert admin.delete(f"/api/v1/task/{extra['id']}").status_code == 204
    assert int(re.search(r'<span class="count">(\d+)</span>', s.get("/").text).group(1)) \
        == total
    assert s.get("/notifications", params={"days": "x"}).status_code == 400
    assert s.get("/notifications", params={"days": "91"}).status_code == 400


def remind(server, sink_url, date, *extra, check=True):
    return run_cli(server.db, "remind", "--send", "--date", iso(date), "--smtp-url",
                   sink_url, "--smtp-from", SENDER, "--site-url", "https://giapranh.example",
                   *extra, check=check)


def test_digest_mailed_once_per_user_and_day(server, items, today):
    to = items["emails"]
    with SmtpSink() as sink:
        out = remind(server, sink.url, today).stdout
        # (other tests' users have no address; the test looks at its own)
        for address in to.values():
            assert len(sink.wait_for(1, address)) == 1, out
        assert all(len(m.rcpt_to) == 1 for m in sink.received())
        mine = sink.to(to["simacai_editor"])[0]
        assert mine.mail_from == SENDER
        assert mine.message["To"].addresses[0].addr_spec == to["simacai_editor"]
        assert mine.message["To"].addresses[0].display_name == "Cán bộ huyện Si Ma Cai"
        assert mine.subject.startswith(f"[giapranh] Nhắc việc ngày {today:%d/%m/%Y}: ")
        body = mine.body
        assert "Kính gửi Cán bộ huyện Si Ma Cai," in body
        assert "QUÁ HẠN" in body and "SẮP ĐẾN HẠN" in body
        assert items["task_soon"]["title"] in body and "(còn 3 ngày)" in body
        assert f"https://giapranh.example/e/task/{items['task_soon']['id']}" in body
        assert items["rec"]["title"] in body
        assert f"https://giapranh.example/e/reporting_duty/{items['duty']['id']}" in body
        assert items["task_late"]["title"] not in body
        other = sink.to(to["bacha_commune_editor"])[0].body
        assert items["task_late"]["title"] in other and "(quá hạn 2 ngày)" in other
        assert items["task_soon"]["title"] not in other
        # the same day again: nothing
        before = len(sink.received())
        again = remind(server, sink.url, today).stdout
        for key in to:
            assert f"{server.login(key)}: đã gửi hôm nay" in again, again
        assert "gửi 0 thư" in again
        assert len(sink.received()) == before
        assert all(len(sink.to(address)) == 1 for address in to.values())


def test_a_refused_mail_is_sent_by_the_next_run(server, items, today):
    day = today + datetime.timedelta(days=1)
    login = server.login("simacai_editor")
    with SmtpSink(refuse=True) as sink:
        p = remind(server, sink.url, day, "--login", login, check=False)
        assert p.returncode == 1, p.stdout + p.stderr
        assert "gửi không được" in p.stdout and sink.received() == []
    with SmtpSink() as sink:
        p = remind(server, sink.url, day, "--login", login)
        assert len(sink.wait_for(1)) == 1, p.stdout
        assert sink.received()[0].rcpt_to == [items["emails"]["simacai_editor"]]


def test_remind_checks_its_arguments(server):
    for args in (["--send"], ["--send", "--smtp-url", "smtp://127.0.0.1:1"],
                 ["--days", "999"], ["--date", "31/12/2024"],
                 ["--send", "--smtp-url", "smtp://127.0.0.1:1", "--smtp-from", "a b@c"]):
        p = run_cli(server.db, "remind", *args, check=False)
        assert p.returncode == 2, (args, p.stdout, p.stderr)


def test_the_server_mails_the_digest_once_a_day():
    """serve --remind-daily mails each day's digests by itself (from
    --remind-hour on), confined (the relay's port is allowed); a run of
    the command line the same day then sends nothing more."""
    with tempfile.TemporaryDirectory(prefix="giapranh-remind-") as tmp, SmtpSink() as sink:
        db = _fresh_db(tmp, "_remind")
        run_cli(db, "init", "--demo")
        address = "can.bo.si.ma.cai@example.org"
        run_cli(db, "user", "add", "--login", "e2e_mailed", "--role", "editor", "--unit",
                SIMACAI, "--name", "Cán bộ nhận thư", "--email", address,
                stdin="mat-khau-nhac-viec\n")
        proc, port, log = _start(db, tmp, "--remind-daily", "--remind-hour", "0",
                                 "--smtp-url", sink.url, "--smtp-from", SENDER)
        try:
            got = sink.wait_for(1, address)
            assert len(got) == 1, open(log, encoding="utf-8", errors="replace").read()
            assert "Giao ban cụm" in got[0].body
            p = run_cli(db, "remind", "--send", "--smtp-url", sink.url, "--smtp-from",
                        SENDER, "--login", "e2e_mailed")
            assert "đã gửi hôm nay" in p.stdout, p.stdout
            assert len(sink.to(address)) == 1
        finally:
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=SHUTDOWN_TIMEOUT)
        assert rc == 0, open(log, encoding="utf-8", errors="replace").read()[-3000:]
        assert "nhắc việc ngày" in open(log, encoding="utf-8").read()
