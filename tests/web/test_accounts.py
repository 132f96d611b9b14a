"""Logins and accounts over HTTP: atomic limits, lock-outs a stranger cannot use, proxy headers, the dummy
hash and bounded argon2 work, the password policy, user management by admins and its audit trail."""

from __future__ import annotations

import re
import threading
import time

import pytest
from casereview.store import users as store_users
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf_of, login

WRONG = "not-the-password"


def make_app(env, **web):
    from casereview.web import create_app

    return create_app(env["url"], config=env["config"].with_overrides({"web": web}) if web else env["config"])


def login_token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)


class Spy:
    """Wraps the real argon2 hasher: counts hash() and verify() calls and how many verify at once."""

    def __init__(self, real, delay: float = 0.0):
        self.real, self.delay = real, delay
        self.hashes, self.verified = 0, []
        self.running = self.max_running = 0
        self.lock = threading.Lock()

    def hash(self, password):
        self.hashes += 1
        return self.real.hash(password)

    def verify(self, hash_, password):
        with self.lock:
            self.verified.append(hash_)
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            time.sleep(self.delay)
            return self.real.verify(hash_, password)
        finally:
            with self.lock:
                self.running -= 1

    def check_needs_rehash(self, hash_):
        return self.real.check_needs_rehash(hash_)


@pytest.fixture()
def spy(monkeypatch):
    real = store_users.password_hasher()
    store_users.dummy_hash()  # made before the spy, as create_app does at start
    s = Spy(real)
    monkeypatch.setattr(store_users, "_hasher", s)
    return s


def parallel_logins(app, n: int, name: str, password: str, addresses=None, vary_name=False) -> list[int]:
    """n fresh browsers post at the same moment; returns their status codes."""
    clients = [TestClient(app, client=(addresses[i], 5000)) if addresses else TestClient(app) for i in range(n)]
    tokens = [login_token(c) for c in clients]
    barrier = threading.Barrier(n)
    codes: list[int] = [0] * n

    def run(i: int) -> None:
        barrier.wait()
        who = f"{name}{i}" if vary_name else name
        codes[i] = clients[i].post("/login", data={"username": who, "password": password, "csrf_token": tokens[i]},
                                   follow_redirects=False).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return codes


def test_parallel_wrong_logins_cannot_pass_the_limit(env, spy):
    app = make_app(env, max_concurrent_password_checks=4)
    codes = parallel_logins(app, 12, "qa1", WRONG)
    # At most 5 reach the password check; attempts arriving together may count each other, so maybe fewer.
    assert set(codes) <= {401, 429} and codes.count(401) <= 5 and codes.count(429) >= 7, codes
    assert len(spy.verified) == codes.count(401)  # 429s never hash
    assert spy.hashes == 0
    # and the same across addresses for one account (per-account limit for browsers it does not know)
    spy.verified.clear()
    codes = parallel_logins(app, 12, "admin1", WRONG, addresses=[f"10.1.0.{i}" for i in range(12)])
    assert codes.count(401) <= 5 and codes.count(429) >= 7, codes


def test_a_stranger_cannot_lock_the_user_out_of_a_known_browser(env):
    app = make_app(env)
    mine = TestClient(app)  # the user's own browser: a good login gives it the known-device cookie
    assert login(mine, "qa1").status_code == 303
    assert "cr_device" in mine.cookies
    mine.post("/logout", data={"csrf_token": csrf_of(mine)})
    # A stranger tries the account from many addresses until new browsers are refused.
    codes = [login(TestClient(app, client=(f"203.0.113.{i}", 4000)), "qa1", WRONG).status_code for i in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    assert login(TestClient(app, client=("198.51.100.9", 4000)), "qa1").status_code == 429  # a fresh browser
    assert login(mine, "qa1").status_code == 303  # the user's browser still gets in
    assert mine.get("/api/me").json()["name"] == "qa1"
    # The cookie is signed and names the account: forged or for another account, it is no help.
    forged = TestClient(app, client=("198.51.100.10", 4000), cookies={"cr_device": "eyJhY2NvdW50cyI6WyJxYTEiXX0"})
    assert login(forged, "qa1").status_code == 429
    other = TestClient(app, client=("198.51.100.11", 4000))
    assert login(other, "admin1").status_code == 303
    other.post("/logout", data={"csrf_token": csrf_of(other)})
    assert login(other, "qa1").status_code == 429  # known for admin1, not for qa1


def test_the_known_browser_is_still_limited_per_address(env):
    app = make_app(env)
    mine = TestClient(app)
    assert login(mine, "qa1").status_code == 303
    mine.post("/logout", data={"csrf_token": csrf_of(mine)})
    codes = [login(mine, "qa1", WRONG).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]  # per account and address, device cookie or not


def test_forged_x_forwarded_for_does_not_change_the_address(env):
    app = make_app(env, login_max_failures_per_ip=3)
    client = TestClient(app)
    codes = [login(client, f"nobody{i}", WRONG, **{"X-Forwarded-For": f"192.0.2.{i}"}).status_code
             for i in range(4)]
    assert codes == [401, 401, 401, 429]


def test_x_forwarded_for_from_a_trusted_proxy(env):
    app = make_app(env, login_max_failures_per_ip=3, trusted_proxies=["127.0.0.1", "10.0.0.0/8"])
    proxy = TestClient(app, client=("127.0.0.1", 4000))
    # The client forges the left of the header; the proxies append what they saw on the right.
    codes = [login(proxy, f"nobody{i}", WRONG, **{"X-Forwarded-For": f"192.0.2.{i}, 198.51.100.7, 10.2.3.4"})
             .status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]  # all counted for 198.51.100.7
    assert login(proxy, "qa1", **{"X-Forwarded-For": "198.51.100.8"}).status_code == 303


def test_serve_trusts_proxy_headers_only_when_configured():
    from casereview.commands.serve import proxy_options
    from casereview.config import load_config

    assert load_config().web.trusted_proxies == []
    assert proxy_options([]) == {"proxy_headers": False}
    assert proxy_options(["10.0.0.1", "10.1.0.0/16"]) == {"proxy_headers": True,
                                                          "forwarded_allow_ips": "10.0.0.1,10.1.0.0/16"}


def test_unknown_and_disabled_users_check_the_dummy_hash(env, clients, spy):
    app = make_app(env)
    assert login(TestClient(app), "no-such-user", WRONG).status_code == 401
    assert spy.verified == [store_users.dummy_hash()] and spy.hashes == 0
    admin = clients["admin"]
    qa_id = next(u for u in admin_users(admin) if u[1] == "qa1")[0]
    admin.post(f"/users/{qa_id}/active", data={"csrf_token": csrf_of(admin), "active": "false"})
    spy.verified.clear()
    assert login(TestClient(app), "qa1").status_code == 401  # right password, disabled account
    assert spy.verified == [store_users.dummy_hash()] and spy.hashes == 0


def test_password_checks_run_a_few_at_a_time(env, spy):
    spy.delay = 0.2
    app = make_app(env, max_concurrent_password_checks=2)
    codes = parallel_logins(app, 8, "nobody", WRONG, addresses=[f"10.3.0.{i}" for i in range(8)])
    # Attempts arriving together may all count each other (the limit errs on the safe side): at most 5 pass.
    assert 1 <= codes.count(401) <= 5 and codes.count(429) >= 3
    spy.verified.clear()
    codes = parallel_logins(app, 8, "nobody", WRONG, addresses=[f"10.4.0.{i}" for i in range(8)], vary_name=True)
    assert codes == [401] * 8 and len(spy.verified) == 8
    assert spy.max_running == 2


@pytest.fixture()
def live(env):
    """The app under a real uvicorn (one event loop and one request threadpool, as in production)."""
    import socket

    import uvicorn

    app = make_app(env, login_max_failures_per_ip=100, login_max_failures_per_user=100,
                   login_max_failures_per_account_ip=100)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def http_login(base: str, name: str, password: str):
    import httpx

    client = httpx.Client(base_url=base, timeout=120)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client, lambda: client.post("/login", data={"username": name, "password": password, "csrf_token": token})


def test_a_login_flood_does_not_hold_up_other_users(live, spy):
    spy.delay = 0.5  # slow checks: the flood must queue for the password pool, not for the request threads
    qa, go = http_login(live, "qa1", PASSWORD)
    assert go().status_code == 303
    attempts = [http_login(live, "nobody", WRONG)[1] for _ in range(60)]
    codes: list[int] = []
    threads = [threading.Thread(target=lambda f=f: codes.append(f().status_code)) for f in attempts]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while spy.running == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # every flood request is in by now
    started = time.monotonic()
    assert qa.get("/api/queue").status_code == 200
    elapsed = time.monotonic() - started
    assert spy.running > 0, "the flood was over before the queue was asked for"
    for t in threads:
        t.join(120)
    assert codes.count(401) == 60 and spy.max_running <= 2
    assert elapsed < 1.0, elapsed


def admin_users(admin: TestClient) -> list[tuple[int, str]]:
    page = admin.get("/users").text
    return [(int(i), n) for i, n in re.findall(r'action="/users/(\d+)/role".*?Role of ([^<]+)<', page, re.S)]


def test_password_policy_on_the_server(clients, env):
    admin = clients["admin"]
    token = csrf_of(admin)
    for bad, why in [("short-1", "at least 12"), ("x" * 1001, "at most 1000"), ("my-name-is-newbie-1", "user name")]:
        r = admin.post("/users", data={"csrf_token": token, "name": "Newbie", "role": "qa", "password": bad})
        assert r.status_code == 400 and why in r.text, bad
    r = admin.post("/users", data={"csrf_token": token, "name": "newbie", "role": "qa", "password": "a-good-long-one"},
                   follow_redirects=False)
    assert r.status_code == 303
    assert login(TestClient(clients["admin"].app), "newbie", "a-good-long-one").status_code == 303
    uid = dict((n, i) for i, n in admin_users(admin))["newbie"]
    r = admin.post(f"/users/{uid}/password", data={"csrf_token": token, "password": "too-short"})
    assert r.status_code == 400 and "at least 12" in r.text
    # The CLI applies the same policy.
    from casereview.cli import app as cli
    from typer.testing import CliRunner

    runner = CliRunner()
    r = runner.invoke(cli, ["users", "add", "cliuser", "--role", "qa", "--password-stdin", "--db", env["url"]],
                      input="short\n")
    assert r.exit_code == 1 and "at least 12" in r.output
    r = runner.invoke(cli, ["users", "set-password", "qa1", "--password-stdin", "--db", env["url"]],
                      input="qa1-qa1-qa1-qa1\n")
    assert r.exit_code == 1 and "user name" in r.output
    assert login(TestClient(admin.app), "qa1").status_code == 303  # unchanged


def test_admins_manage_users_in_the_browser(clients):
    admin = clients["admin"]
    token = csrf_of(admin)
    assert clients["qa"].get("/users").status_code == 403
    assert admin.post("/users", data={"name": "x", "role": "qa", "password": "a-good-long-one"}).status_code == 403
    r = admin.post("/users", data={"csrf_token": token, "name": "carol", "role": "qa", "password": "first-secret-11"},
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/users?msg=added"
    ids = dict((n, i) for i, n in admin_users(admin))
    carol = TestClient(admin.app)
    assert login(carol, "carol", "first-secret-11").status_code == 303
    # role change
    r = admin.post(f"/users/{ids['carol']}/role", data={"csrf_token": token, "role": "researcher"},
                   follow_redirects=False)
    assert r.status_code == 303 and carol.get("/api/me").json()["role"] == "researcher"
    assert admin.post(f"/users/{ids['carol']}/role", data={"role": "admin"}).status_code == 403  # CSRF
    # disabling ends her session; enabling lets her log in again
    r = admin.post(f"/users/{ids['carol']}/active", data={"csrf_token": token, "active": "false"},
                   follow_redirects=False)
    assert r.status_code == 303 and carol.get("/api/me").status_code == 401
    assert login(carol, "carol", "first-secret-11").status_code == 401
    admin.post(f"/users/{ids['carol']}/active", data={"csrf_token": token, "active": "true"})
    assert login(carol, "carol", "first-secret-11").status_code == 303
    # a new password ends her sessions too
    r = admin.post(f"/users/{ids['carol']}/password", data={"csrf_token": token, "password": "second-secret-22"},
                   follow_redirects=False)
    assert r.status_code == 303 and carol.get("/api/me").status_code == 401
    assert login(carol, "carol", "second-secret-22").status_code == 303
    # the last admin can neither demote nor disable themselves
    r = admin.post(f"/users/{ids['admin1']}/role", data={"csrf_token": token, "role": "qa"})
    assert r.status_code == 400 and "last active admin" in r.text
    r = admin.post(f"/users/{ids['admin1']}/active", data={"csrf_token": token, "active": "false"})
    assert r.status_code == 400 and "last active admin" in r.text
    assert admin.get("/api/me").json()["role"] == "admin"
    # with a second admin, the first may step down
    admin.post(f"/users/{ids['carol']}/role", data={"csrf_token": token, "role": "admin"})
    r = admin.post(f"/users/{ids['admin1']}/role", data={"csrf_token": token, "role": "qa"}, follow_redirects=False)
    assert r.status_code == 303 and admin.get("/api/me").json()["role"] == "qa"
    assert admin.post("/users/999999/role", data={"csrf_token": token, "role": "qa"}).status_code == 403  # now qa


def test_logins_and_user_changes_are_in_the_audit_trail(clients):
    admin = clients["admin"]
    token = csrf_of(admin)
    assert login(TestClient(admin.app), "qa1", WRONG).status_code == 401
    assert login(TestClient(admin.app), "mallory", WRONG).status_code == 401
    admin.post("/users", data={"csrf_token": token, "name": "dave", "role": "qa", "password": "first-secret-33"})
    ids = dict((n, i) for i, n in admin_users(admin))
    admin.post(f"/users/{ids['dave']}/role", data={"csrf_token": token, "role": "researcher"})
    admin.post(f"/users/{ids['dave']}/password", data={"csrf_token": token, "password": "second-secret-44"})
    admin.post(f"/users/{ids['dave']}/active", data={"csrf_token": token, "active": "false"})
    rows = admin.get("/api/audit").json()
    events = [(r["user"], r["action"], r["target"]) for r in rows]
    assert ("admin1", "login", "user:admin1") in events
    assert ("-", "login-failed", "user:qa1") in events
    assert ("-", "login-failed", "login") in events  # an unknown name is not written down
    assert ("admin1", "user-create", "user:dave") in events
    assert ("admin1", "user-role", "user:dave") in events
    assert ("admin1", "user-password", "user:dave") in events
    assert ("admin1", "user-disable", "user:dave") in events
    assert all(r["item_pk"] is None for r in rows)
    text = admin.get("/api/audit?format=jsonl").text + admin.get("/audit").text
    assert "mallory" not in text
    assert "first-secret-33" not in text and "second-secret-44" not in text and WRONG not in text
    assert "user:dave" in admin.get("/audit").text
