"""The whole way, with the real engines: netmaint A -> its folders -> vdirsyncer -> Radicale ->
vdirsyncer -> B's folders -> netmaint B (a second database), and back, as a phone and a second
computer use it. Radicale listens on 127.0.0.1 only, on a free port, with a temporary storage
folder and no authentication; every request is bounded by a timeout."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("radicale", reason="the test extra installs radicale")
requests = pytest.importorskip("requests", reason="comes with vdirsyncer")
VDIRSYNCER = shutil.which("vdirsyncer", path=str(Path(sys.executable).parent)) or shutil.which("vdirsyncer")
pytestmark = pytest.mark.skipif(VDIRSYNCER is None, reason="the test extra installs vdirsyncer")

TIMEOUT = 20
USER = "me"
COLLECTIONS = {
    "contacts": ("addressbook", None),
    "follow_ups": ("calendar", "VTODO"),
    "journal": ("calendar", "VJOURNAL"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def radicale(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "", "--server-hosts", f"127.0.0.1:{port}",
         "--auth-type", "none", "--storage-filesystem-folder", str(tmp_path / "radicale"),
         "--logging-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/{USER}/"
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("Radicale did not start")
            time.sleep(0.05)
    for name, (kind, component) in COLLECTIONS.items():
        _make_collection(base + name + "/", kind, component)
    yield base
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


def _make_collection(url: str, kind: str, component: str | None) -> None:
    if kind == "addressbook":
        body = ('<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><set><prop>'
                "<resourcetype><collection/><C:addressbook/></resourcetype></prop></set></mkcol>")
        method = "MKCOL"
    else:
        body = ('<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set>'
                f'<D:prop><C:supported-calendar-component-set><C:comp name="{component}"/>'
                "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>")
        method = "MKCALENDAR"
    answer = requests.request(method, url, data=body, auth=(USER, "x"), timeout=TIMEOUT,
                              headers={"Content-Type": "application/xml"})
    assert answer.status_code in (201, 200), answer.text


class Computer:
    """One computer: its netmaint database, its three folders and its vdirsyncer setup."""

    def __init__(self, root: Path, name: str, server: str, monkeypatch, capsys):
        self.monkeypatch, self.capsys = monkeypatch, capsys
        self.root = root / name
        self.folders = {key: self.root / key for key in COLLECTIONS}
        for folder in self.folders.values():
            folder.mkdir(parents=True)
        self.env = {"NETMAINT_DB": str(self.root / "netmaint.db"), "NETMAINT_CONFIG": str(self.root / "config.yaml")}
        (self.root / "config.yaml").write_text(
            "sync: {" + ", ".join(f"{k}: {v}" for k, v in self.folders.items()) + "}\n")
        pairs = []
        for key, (kind, component) in COLLECTIONS.items():
            remote = "carddav" if kind == "addressbook" else "caldav"
            ext = ".vcf" if kind == "addressbook" else ".ics"
            types = f'item_types = ["{component}"]\n' if component else ""
            pairs.append(f'[pair {key}]\na = "{key}_local"\nb = "{key}_remote"\ncollections = null\n\n'
                         f'[storage {key}_local]\ntype = "filesystem"\npath = "{self.folders[key]}"\nfileext = "{ext}"\n\n'
                         f'[storage {key}_remote]\ntype = "{remote}"\nurl = "{server}{key}/"\nusername = "{USER}"\n'
                         f'password = "x"\n{types}\n')
        self.config = self.root / "vdirsyncer.conf"
        self.config.write_text(f'[general]\nstatus_path = "{self.root / "status"}"\n\n' + "".join(pairs))
        self.vdirsyncer("discover")

    def vdirsyncer(self, *args: str) -> None:
        # In this process, through vdirsyncer's own command-line entry: a new Python for each of a
        # dozen runs would cost more than the syncing.
        from vdirsyncer.cli import app

        try:
            app.main(["-c", str(self.config), *args], standalone_mode=False)
        except SystemExit as exc:
            assert not exc.code, f"vdirsyncer {' '.join(args)} failed"

    def netmaint(self, *args: str) -> str:
        from netmaint_tui.cli import main

        self.monkeypatch.setenv("NETMAINT_DB", self.env["NETMAINT_DB"])
        self.monkeypatch.setenv("NETMAINT_CONFIG", self.env["NETMAINT_CONFIG"])
        self.capsys.readouterr()
        assert main(list(args)) == 0, self.capsys.readouterr().err
        return self.capsys.readouterr().out

    def sync(self) -> str:
        """What the README's timer runs: vdirsyncer sync && netmaint sync && vdirsyncer sync."""
        self.vdirsyncer("sync")
        line = self.netmaint("sync")
        self.vdirsyncer("sync")
        return line

    def export(self) -> dict:
        return json.loads(self.netmaint("export", "json"))


def _without_ids(doc: dict) -> dict:
    """The export with the database's own numbers replaced by names, so two databases compare."""
    names = {c["id"]: c["name"] for c in doc["contacts"]}
    out = {}
    for section in ("contacts", "touches", "follow_ups", "goals", "pauses"):
        rows = []
        for row in doc[section]:
            row = {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at", "source_id", "touch")}
            for key in ("contacts", "contact_ids"):
                if key in row:
                    row[key] = sorted(names.get(i, i) for i in row[key])
            for key in ("suggested_by", "about"):
                if isinstance(row.get(key), int):
                    row[key] = names.get(row[key])
            rows.append(row)
        out[section] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    return out


def _server_items(collection: str) -> dict[str, tuple[str, str]]:
    """href -> (etag, body) of every item of a server collection, as a phone would see them."""
    answer = requests.request("PROPFIND", collection, headers={"Depth": "1"}, auth=(USER, "x"), timeout=TIMEOUT)
    hrefs = [e.text for e in ET.fromstring(answer.content).iter("{DAV:}href")]
    out = {}
    for href in hrefs:
        if href.endswith("/"):
            continue
        got = requests.get(collection.split(f"/{USER}/")[0] + href, auth=(USER, "x"), timeout=TIMEOUT)
        out[href] = (got.headers["ETag"], got.text)
    return out


def _phone_edit(server: str, collection: str, holding: str, change) -> None:
    """Change one item on the server the way a phone does: PUT with If-Match."""
    href, (etag, body) = next((h, item) for h, item in _server_items(server + collection + "/").items() if holding in item[1])
    answer = requests.put(server.split(f"/{USER}/")[0] + href, data=change(body).encode(), auth=(USER, "x"),
                          timeout=TIMEOUT, headers={"If-Match": etag, "Content-Type": "text/plain"})
    assert answer.status_code in (201, 204), answer.text


def test_two_netmaints_and_a_phone_stay_in_step_through_radicale_and_vdirsyncer(radicale, tmp_path, env,
                                                                              monkeypatch, capsys):
    # `env` fixes the clock (2025-03-12 10:00) and the zone (Berlin) for both computers.
    a = Computer(tmp_path, "a", radicale, monkeypatch, capsys)
    a.netmaint("add", "Dana Lee", "--tier", "A", "--company", "Acme", "--phone", "+1 555 0199", "--tag", "vip",
               "--date", "work anniversary=2019-04-01", "--date", "met=--06-12")
    a.netmaint("add", "Omar Haddad", "--tier", "C", "--email", "omar@example.com")
    for day in ("2025-02-04", "2025-02-12", "2025-02-26", "2025-03-05"):
        a.netmaint("log", "Dana", "--at", f"{day} 12:00", "--minutes", "30", "--note", f"coffee {day}")
    a.netmaint("log", "Dana", "Omar", "--at", "2025-03-11 15:00", "--note", "lunch\n- [ ] send Omar the deck")
    a.netmaint("follow-up", "Omar", "intro to Acme", "--due", "2025-03-13 10:00")
    a.netmaint("goal", "set", "--touches", "1", "--from", "2025-02-03")
    a.netmaint("pause", "2025-02-17", "2025-02-23", "--reason", "ski")
    assert a.sync() == "synced: contacts 2 out; follow-ups 2 out; journal 7 out\n"

    b = Computer(tmp_path, "b", radicale, monkeypatch, capsys)
    assert b.sync() == "synced: contacts 2 in; follow-ups 2 in; journal 7 in\n"
    # 1. B has A's contacts (anniversaries too), follow-ups, touches, goals and pauses; and the same list and week.
    assert _without_ids(b.export()) == _without_ids(a.export())
    assert next(c for c in b.export()["contacts"] if c["name"] == "Dana Lee")["dates"] == [
        {"label": "work anniversary", "date": "2019-04-01"}, {"label": "met", "date": "--06-12"}]
    assert b.netmaint("week", "--json") == a.netmaint("week", "--json")
    assert json.loads(a.netmaint("week", "--json"))["current_streak"] >= 3
    strip = re.compile(r'"id": \d+,?')
    assert strip.sub("", b.netmaint("due", "--json")) == strip.sub("", a.netmaint("due", "--json"))

    # 2. A card changed on the server, as a phone does, reaches A with its tier kept; so does an
    # anniversary the phone added, in Apple's labelled form.
    _phone_edit(radicale, "contacts", "Dana Lee", lambda card: card.replace("+1 555 0199", "+1 555 0100").replace(
        "END:VCARD", "item7.X-ABDATE:2010-09-30\r\nitem7.X-ABLabel:_$!<Anniversary>!$_\r\nEND:VCARD"))
    assert a.sync() == "synced: contacts 1 in; follow-ups unchanged; journal unchanged\n"
    dana = next(c for c in a.export()["contacts"] if c["name"] == "Dana Lee")
    assert (dana["phones"], dana["tier"]) == (["+1 555 0100"], "A")
    assert dana["dates"][-1] == {"label": "anniversary", "date": "2010-09-30"}

    # 3. A task completed on the server is done in A and in B.
    _phone_edit(radicale, "follow_ups", "intro to Acme",
                lambda task: task.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20250312T080000Z"))
    a.sync()
    b.sync()
    for computer in (a, b):
        done = next(f for f in computer.export()["follow_ups"] if f["what"] == "intro to Acme")
        assert done["status"] == "done"

    # 4. Both change the same contact between syncs: both changes survive.
    _set_role_and_phone(a, role="CTO", phone="+1 555 0111")
    _set_role_and_phone(b, role=None, phone="+1 555 0122", location="Berlin")
    a.sync()
    line = b.sync()
    assert "1 conflict kept" in line
    a.sync()
    for computer in (a, b):
        dana = next(c for c in computer.export()["contacts"] if c["name"] == "Dana Lee")
        assert (dana["role"], dana["location"], dana["phones"]) == ("CTO", "Berlin", ["+1 555 0122"])
        assert [d["date"] for d in dana["dates"]] == ["2019-04-01", "--06-12", "2010-09-30"]
    # A's phone number is kept in Dana's history on the computer that kept its own.
    assert _history_notes(b, "Dana Lee") == ["the card said phones: +1 555 0111 (kept: +1 555 0122)"]

    # 5. Every card netmaint wrote is one vobject (khard's reader) reads.
    vobject = pytest.importorskip("vobject")
    for computer in (a, b):
        for card in computer.folders["contacts"].glob("*.vcf"):
            assert vobject.readOne(card.read_text()).fn.value


def _history_notes(computer: Computer, name: str) -> list[str]:
    from netmaint_tui.cli.base import load_settings, make_context
    from netmaint_tui.services.contacts import resolve_contact
    from netmaint_tui.services.history import contact_notes
    from netmaint_tui.store.db import close_database, open_database

    open_database(computer.env["NETMAINT_DB"])
    try:
        return [n.text for n in contact_notes(make_context(load_settings(warn=False)), resolve_contact(name))]
    finally:
        close_database()


def _set_role_and_phone(computer: Computer, role: str | None, phone: str, location: str | None = None) -> None:
    """An edit of Dana's fields through netmaint's own service, as the contact form saves it."""
    from netmaint_tui.cli.base import load_settings, make_context
    from netmaint_tui.services.contacts import resolve_contact, update_contact
    from netmaint_tui.store.db import close_database, open_database

    open_database(computer.env["NETMAINT_DB"])
    try:
        fields = {"phones": [phone], **({"role": role} if role else {}), **({"location": location} if location else {})}
        update_contact(make_context(load_settings(warn=False)), resolve_contact("Dana Lee"), **fields)
    finally:
        close_database()
