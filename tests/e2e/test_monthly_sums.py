"""Monthly sums (issue 19, docs/REPORT_QUERIES.md "Monthly sums"): the sums
the review reports of whole months read stay equal to a full recount of the
records after random writes through every path that writes activities,
their quantities and incidents - the API (POST, PATCH, DELETE, a delete
that cascades), `_bulk` (JSON and CSV), `giapranh import`, the record forms
- including the moves a reorganisation makes (a record's unit, date, kind
changed) and values the sums cannot hold as integers.  On SQLite, and on
PostgreSQL with GIAPRANH_E2E_DB_URL.  The grid writes indicator values
only: no sums of its are kept (it is not a path of these records)."""
import csv
import io
import random
import sqlite3
import subprocess

import pytest

from conftest import BACHA, SIMACAI, XINMAN, describe, run_cli, unique

# The recount of each sums table, as the triggers of migration 0010 keep it
# (same text on both engines).
INT_PART = ("CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = "
            "CAST(q.value AS BIGINT) THEN CAST(q.value AS BIGINT) ELSE 0 END ELSE 0 END")
FRAC = ("CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = "
        "CAST(q.value AS BIGINT) THEN 0 ELSE 1 END ELSE 1 END")
RECOUNT = {
    "sum_activity_month": (
        "unit_id, month, n",
        "SELECT unit_id, substr(start_on, 1, 7), COUNT(*) FROM activity "
        "GROUP BY unit_id, substr(start_on, 1, 7)"),
    "sum_quantity_month": (
        "unit_id, month, kind, measure, unit_of_measure, uom_null, isum, asum, nfrac, n, "
        "min_activity_id, min_quantity_id",
        "SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, "
        "COALESCE(q.unit_of_measure, ''), CASE WHEN q.unit_of_measure IS NULL THEN 1 ELSE 0 END, "
        f"SUM({INT_PART}), SUM(abs({INT_PART})), SUM({FRAC}), COUNT(*), MIN(a.id), MIN(q.id) "
        "FROM activity a JOIN activity_quantity q ON q.activity_id = a.id "
        "GROUP BY a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, q.unit_of_measure"),
    "sum_incident_month": (
        "unit_id, month, kind, status, hidden, n, min_id",
        "SELECT unit_id, substr(occurred_on, 1, 7), kind, status, "
        "CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END, COUNT(*), MIN(id) "
        "FROM incident GROUP BY unit_id, substr(occurred_on, 1, 7), kind, status, "
        "CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END"),
}
ACT_KINDS = ["exchange", "assistance", "propaganda", "training"]
INC_KINDS = ["crime", "land_dispute", "complaint"]
# the incident workflow's moves (schema/entities.txt): created "reported"
NEXT = {"reported": ["verified", "handling"], "verified": ["handling", "resolved"],
        "handling": ["resolved", "transferred"]}
MEASURES = [("sessions", "cuộc"), ("participant_visits", "lượt người"), ("households", None),
            ("households", "")]
MONTHS = ["2031-01", "2031-02", "2031-03"]


def query(db, sql):
    """The rows of one statement on the test database, as sorted tuples of text."""
    if db.startswith("sqlite:"):
        con = sqlite3.connect(db[len("sqlite:"):])
        try:
            rows = con.execute(sql).fetchall()
        finally:
            con.close()
        return sorted(tuple("" if v is None else str(v) for v in r) for r in rows)
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                        "-d", db, "-c", sql], capture_output=True, text=True, check=True)
    return sorted(tuple(line.split("\t")) for line in p.stdout.splitlines() if line)


# The whole country's rows (unit 0): the same recount over every unit.
NATION = {
    "sum_activity_month": "WITH x(u, month, n) AS ({}) SELECT 0, month, SUM(n) FROM x GROUP BY month",
    "sum_quantity_month": (
        "WITH x(u, month, kind, measure, uom, uom_null, isum, asum, nfrac, n, ma, mq) AS ({}) "
        "SELECT 0, month, kind, measure, uom, uom_null, SUM(isum), SUM(asum), SUM(nfrac), "
        "SUM(n), MIN(ma), MIN(mq) FROM x GROUP BY month, kind, measure, uom, uom_null"),
    "sum_incident_month": (
        "WITH x(u, month, kind, status, hidden, n, mi) AS ({}) "
        "SELECT 0, month, kind, status, hidden, SUM(n), MIN(mi) FROM x "
        "GROUP BY month, kind, status, hidden"),
}


def mismatches(db):
    """Rows of each sums table that a full recount does not give, and back."""
    out = {}
    for table, (cols, recount) in RECOUNT.items():
        kept = query(db, f"SELECT {cols} FROM {table}")
        counted = query(db, recount) + query(db, NATION[table].format(recount))
        counted.sort()
        # PostgreSQL prints a bigint the same as SQLite; normalise "1.0"
        if kept != counted:
            out[table] = {"kept only": sorted(set(kept) - set(counted))[:5],
                          "recount only": sorted(set(counted) - set(kept))[:5]}
    return out


def day(rng):
    return f"{rng.choice(MONTHS)}-{rng.randint(1, 28):02d}"


def value(rng):
    # integers (the sums hold them exactly), fractions and a large value
    # (counted in nfrac: a report reads the records then)
    return rng.choice([rng.randint(0, 500), rng.randint(0, 5), 2.5, 0.1,
                       3000000000, rng.randint(1, 9) / 4])


def as_csv(rows):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]))
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if v is None else v for k, v in r.items()})
    return out.getvalue()


@pytest.fixture(scope="module")
def units(server):
    return [server.unit_id(c) for c in (SIMACAI, BACHA, XINMAN)]


def new_activity(rng, units):
    return {"kind": rng.choice(ACT_KINDS), "title": unique("Hoạt động tổng tháng"),
            "start_on": day(rng), "unit_id": rng.choice(units)}


def new_quantity(rng, act_id):
    m, uom = rng.choice(MEASURES)
    q = {"activity_id": act_id, "measure": m, "value": value(rng)}
    if uom is not None:
        q["unit_of_measure"] = uom
    if rng.random() < 0.2:
        q["qualifier"] = "trên"
    return q


def new_incident(rng, units):
    return {"kind": rng.choice(INC_KINDS), "status": "reported", "title": unique("Vụ việc tổng tháng"),
            "occurred_on": day(rng), "unit_id": rng.choice(units),
            "confidential": rng.random() < 0.3}


def ok(r, *codes):
    assert r.status_code in codes, describe(r)
    return r.json() if r.content and "json" in r.headers.get("Content-Type", "") else None


def test_sums_equal_a_recount_after_random_writes_on_every_path(server, units, tmp_path):
    rng = random.Random(19)
    admin = server.api("admin")
    assert mismatches(server.db) == {}, "the backfill of the demo data"
    acts, incs = [], []
    qtys = {}  # quantity id -> its activity's id (gone with it)
    for step in range(6):
        # API creates
        for _ in range(4):
            a = admin.create("activity", new_activity(rng, units))
            acts.append(a["id"])
            for _ in range(rng.randint(0, 3)):
                qtys[admin.create("activity_quantity", new_quantity(rng, a["id"]))["id"]] = a["id"]
        incs.append(admin.create("incident", new_incident(rng, units))["id"])
        # _bulk JSON and CSV
        body = ok(admin.post("/api/v1/activity_quantity/_bulk",
                             json=[new_quantity(rng, rng.choice(acts)) for _ in range(3)]), 200, 201)
        assert body["imported"] == 3, body
        rows = [new_incident(rng, units) for _ in range(2)]
        for r in rows:
            r["confidential"] = "true" if r["confidential"] else "false"
        body = ok(admin.post("/api/v1/incident/_bulk", data=as_csv(rows).encode(),
                             headers={"Content-Type": "text/csv"}), 200, 201)
        assert body["imported"] == 2, body
        # giapranh import
        path = tmp_path / f"act{step}.csv"
        path.write_text(as_csv([new_activity(rng, units) for _ in range(3)]), encoding="utf-8")
        run_cli(server.db, "import", "activity", str(path))
        path = tmp_path / f"qty{step}.csv"
        path.write_text(as_csv([dict(new_quantity(rng, rng.choice(acts)), unit_of_measure="cuộc")
                                for _ in range(2)]), encoding="utf-8")
        run_cli(server.db, "import", "activity_quantity", str(path))
        # the record form
        s = server.sign_in("admin")
        rec = new_incident(rng, units)
        data = {"_csrf": s.csrf, **{k: str(v).lower() if isinstance(v, bool) else str(v)
                                    for k, v in rec.items()}}
        ok(s.post("/e/incident/new", data=data, allow_redirects=False), 303)
        # moves: unit, date, kind (what a reorganisation does to a record),
        # a quantity's value and activity, an incident's status and flag
        a = rng.choice(acts)
        ok(admin.patch(f"/api/v1/activity/{a}", json={"unit_id": rng.choice(units),
                                                     "start_on": day(rng),
                                                     "kind": rng.choice(ACT_KINDS)}), 200)
        if qtys:
            q = rng.choice(sorted(qtys))
            qtys[q] = rng.choice(acts)
            ok(admin.patch(f"/api/v1/activity_quantity/{q}",
                           json={"value": value(rng), "activity_id": qtys[q]}), 200)
        i = rng.choice(incs)
        st = ok(admin.get(f"/api/v1/incident/{i}"), 200)["status"]
        change = {"confidential": rng.random() < 0.5, "occurred_on": day(rng),
                  "kind": rng.choice(INC_KINDS)}
        if st in NEXT:
            change["status"] = rng.choice(NEXT[st])
        ok(admin.patch(f"/api/v1/incident/{i}", json=change), 200)
        # deletes: a quantity, an incident, an activity with its quantities
        if qtys:
            q = rng.choice(sorted(qtys))
            del qtys[q]
            ok(admin.delete(f"/api/v1/activity_quantity/{q}"), 200, 204)
        ok(admin.delete(f"/api/v1/incident/{incs.pop(rng.randrange(len(incs)))}"), 200, 204)
        gone = acts.pop(rng.randrange(len(acts)))
        ok(admin.delete(f"/api/v1/activity/{gone}"), 200, 204)
        qtys = {q: a for q, a in qtys.items() if a != gone}
        assert mismatches(server.db) == {}, f"after step {step}"
    # the writes reached the sums at all
    kept = query(server.db, "SELECT COUNT(*) FROM sum_quantity_month WHERE month >= '2031-01'")
    assert int(kept[0][0]) > 0
