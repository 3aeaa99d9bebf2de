"""Uploads may read nothing on the server (issue 14, section 1) (kind: unit + AppTest).

What they prove: a scenario or seasonal plan that came from an upload can only name files uploaded
with it. Absolute paths, ``..``, links out of the upload (plain or inside a .zip) are refused with
one line that shows nothing of the server file (a planted secret never appears), and the message
for a server file that exists equals the one for a file that does not. Companion files uploaded
together (several files or a .zip) are read; the last good scenario is kept on a refusal.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile

import pytest
import yaml

from dashboard.state import parse_scenario_text, parse_seasonal_upload, parse_upload
from scenarios import ScenarioError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SECRET = "PLANTED_PASSWORD_hunter2"


def _scenario(**voice) -> dict:
    channel = {"aht_seconds": 180, **voice}
    if not any(key in channel for key in ("history_csv", "daily_total", "arrivals_per_interval")):
        channel["arrivals_per_interval"] = 10
    return {"name": "leak", "interval_minutes": 30, "intervals": 4, "start_time": "08:00",
            "channels": {"voice": channel}, "staff": [{"name": "a", "channels": ["voice"], "agents": 5}]}


@pytest.fixture
def secret_files(tmp_path):
    """Server files holding a secret in their first line and in a CSV column name and cell."""
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "environ.csv").write_text(f"timestamp,{SECRET}\n2026-01-01 08:00,{SECRET}\n")
    (folder / "shadow").write_text(f"root:{SECRET}:19000:0:99999:7:::\n")
    return folder


def _refusal(files) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_upload(files)
    message = str(caught.value)
    assert SECRET not in message
    assert "\n" not in message
    return message


def _yaml(data) -> bytes:
    return yaml.safe_dump(data).encode()


@pytest.mark.parametrize("field", ["history_csv", "profile"])
@pytest.mark.parametrize("reference", ["{server}/environ.csv", "../../../../../..{server}/environ.csv", "{server}/shadow"])
def test_a_server_path_in_an_upload_is_refused_without_its_content(secret_files, field, reference):
    reference = reference.format(server=secret_files)
    voice = {"history_csv": reference} if field == "history_csv" else {"daily_total": 100, "profile": reference}
    message = _refusal([("leak.yaml", _yaml(_scenario(**voice)))])
    assert f"channels.voice.{field}" in message
    assert str(secret_files) not in message or "absolute" in message or "'..'" in message


def test_not_found_does_not_reveal_whether_a_server_file_exists(secret_files):
    """The same words for a server file that exists and one that does not."""
    def without_name(message: str) -> str:
        return re.sub(r"'[^']*'", "NAME", message)

    existing = _refusal([("a.yaml", _yaml(_scenario(history_csv=f"{secret_files}/environ.csv")))])
    missing = _refusal([("a.yaml", _yaml(_scenario(history_csv=f"{secret_files}/nothing-here.csv")))])
    assert without_name(existing) == without_name(missing)
    existing = _refusal([("a.yaml", _yaml(_scenario(history_csv="sub/../../environ.csv")))])
    missing = _refusal([("a.yaml", _yaml(_scenario(history_csv="sub/../../nothing-here.csv")))])
    assert without_name(existing) == without_name(missing)


def test_a_channel_named_after_a_server_column_reads_nothing(secret_files):
    data = _scenario(history_csv=f"{secret_files}/environ.csv")
    data["channels"] = {SECRET[:20]: {**data["channels"]["voice"], "kind": "voice"}}
    data["staff"][0]["channels"] = [SECRET[:20]]
    _refusal([("leak.yaml", _yaml(data))])


def _zip(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def test_zip_members_that_climb_out_or_link_out_are_refused(secret_files):
    scenario = _yaml(_scenario(history_csv="history.csv"))
    message = _refusal([("bundle.zip", _zip({"s.yaml": scenario, "../history.csv": b"timestamp,voice\n"}))])
    assert "not a plain file name" in message
    message = _refusal([("bundle.zip", _zip({"s.yaml": scenario}, links={"history.csv": f"{secret_files}/environ.csv"}))])
    assert "links are refused" in message


def test_a_symbolic_link_inside_the_upload_folder_cannot_point_out(secret_files, tmp_path, monkeypatch):
    """Even a link planted in the upload's folder is resolved and refused when it leaves it."""
    import dashboard.state as state

    real_store = state.store_upload

    def store_with_link(files):
        folder = real_store(files)
        (folder / "history.csv").symlink_to(secret_files / "environ.csv")
        return folder

    monkeypatch.setattr(state, "store_upload", store_with_link)
    message = _refusal([("s.yaml", _yaml(_scenario(history_csv="history.csv")))])
    assert "was not uploaded with it" in message


def test_companion_files_uploaded_together_are_read():
    history = b"timestamp,voice\n2026-01-05 08:00,40\n2026-01-05 08:30,60\n2026-01-05 09:00,80\n2026-01-05 09:30,20\n"
    scenario_yaml = _yaml(_scenario(history_csv="history.csv"))
    for files in ([("s.yaml", scenario_yaml), ("history.csv", history)],
                  [("bundle.zip", _zip({"s.yaml": scenario_yaml, "history.csv": history}))]):
        scenario, root = parse_upload(files)
        assert root.confined
        assert scenario.channels["voice"].history_csv.startswith(str(root.folder.resolve()))


def test_a_missing_companion_is_named_as_written():
    message = _refusal([("s.yaml", _yaml(_scenario(history_csv="history.csv")))])
    assert "channels.voice.history_csv: history file 'history.csv' was not uploaded with it" in message
    assert "ccplan-upload-" not in message and "/tmp" not in message


def test_a_single_text_upload_cannot_name_server_files(secret_files):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario_text(_yaml(_scenario(history_csv=f"{secret_files}/environ.csv")), "leak.yaml")
    assert SECRET not in str(caught.value) and "absolute path" in str(caught.value)


@pytest.mark.parametrize("reference", ["{server}/environ.csv", "../../../../..{server}/environ.csv", "history.csv"])
def test_seasonal_history_file_must_come_with_the_upload(secret_files, reference):
    from dashboard import compute

    plan = yaml.safe_load(open("scenarios/examples/seasonal_retail.yaml", encoding="utf-8"))
    plan["history"]["file"] = reference.format(server=secret_files)
    parsed, root, _ = parse_seasonal_upload([("plan.yaml", _yaml(plan))])
    with pytest.raises(ScenarioError) as caught:
        compute.seasonal_plan.__wrapped__(_json(parsed), str(root.folder), True)
    assert SECRET not in str(caught.value) and "history.file" in str(caught.value)


def _json(plan) -> str:
    import json

    return json.dumps(plan.model_dump(mode="json", exclude_unset=True), sort_keys=True)


# ---------------------------------------------------------------------------- the app's upload path
@pytest.mark.slow
def test_the_app_refuses_a_leaking_upload_and_shows_nothing_of_the_server(app, secret_files):
    before = app.session_state["ccplan_scenario_state"].scenario.to_canonical_json()
    for reference in (f"{secret_files}/environ.csv", "../../../../../../" + str(secret_files) + "/shadow"):
        app.file_uploader(key="sidebar.upload").set_value(("leak.yaml", _yaml(_scenario(history_csv=reference)), "application/x-yaml"))
        app.run()
        assert not app.exception
        shown = " ".join(str(e.value) for e in app.error)
        assert "Upload rejected" in shown and "channels.voice.history_csv" in shown
        everything = " ".join(str(getattr(e, "value", "")) for e in app.main) + " ".join(str(getattr(e, "value", "")) for e in app.sidebar)
        assert SECRET not in everything
        assert app.session_state["ccplan_scenario_state"].scenario.to_canonical_json() == before


@pytest.mark.slow
def test_the_app_accepts_a_scenario_with_its_history_csv(app):
    history = b"timestamp,voice\n2026-01-05 08:00,40\n2026-01-05 08:30,60\n2026-01-05 09:00,80\n2026-01-05 09:30,20\n"
    app.file_uploader(key="sidebar.upload").set_value([
        ("s.yaml", _yaml(_scenario(history_csv="history.csv")), "application/x-yaml"),
        ("history.csv", history, "text/csv")])
    app.run()
    assert not app.exception and not app.error
    assert app.session_state["ccplan_scenario_state"].scenario.name == "leak"


def test_an_upload_above_the_dashboard_limits_is_refused():
    """Issue 11.5: a 200-byte YAML with intervals 200000 (now 50000, within the schema) is refused by the app."""
    data = _scenario()
    data["intervals"] = 50_000
    data["channels"]["voice"]["arrivals_per_interval"] = 10
    message = _refusal([("big.yaml", _yaml(data))])
    assert "above the limit" in message and "command line" in message
