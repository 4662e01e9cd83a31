"""Many clients at once: versions stay consistent, nothing is lost."""
import threading

from conftest import person


def run_parallel(n, fn):
    results = [None] * n

    def work(i):
        try:
            results[i] = fn(i)
        except Exception as exc:  # reported by the assertions below
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    # every request has its own timeout (ApiSession), so each thread ends;
    # a join with a timeout of its own would leave None for a slow one on a
    # loaded machine, a failure that says nothing about the server
    for t in threads:
        t.join()
    return results


def test_parallel_patches_of_one_version_let_exactly_one_win(server, admin):
    created = admin.create("person", person())
    path = f"/api/v1/person/{created['id']}"

    def patch(i):
        return server.api("admin").patch(path, json={"note": f"người sửa {i}"},
                                         headers={"If-Match": '"1"'}).status_code

    statuses = run_parallel(10, patch)
    assert sorted(statuses) == [200] + [412] * 9, statuses
    now = admin.get(path).json()
    assert now["version"] == 2
    assert now["note"].startswith("người sửa ")


def test_parallel_creates_all_succeed_with_distinct_ids(server, admin):
    def create(i):
        r = server.api("admin").post("/api/v1/person", json=person())
        return r.status_code, r.json().get("id")

    results = run_parallel(20, create)
    assert all(not isinstance(r, Exception) for r in results), results
    assert {status for status, _ in results} == {201}
    assert len({pid for _, pid in results}) == 20


def test_parallel_reads_while_writing(server, viewer):
    def read(i):
        if i % 2:
            return server.api("admin").post("/api/v1/person", json=person()).status_code
        return server.api("viewer").get("/api/v1/agreement",
                                        params={"kind": "twinning"}).json()["total"]

    results = run_parallel(16, read)
    assert results[0::2] == [34] * 8, results
    assert results[1::2] == [201] * 8, results
