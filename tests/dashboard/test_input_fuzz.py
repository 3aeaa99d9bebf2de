"""Every input of every dashboard view, driven with bad values (issue 14, part 1) (kind: AppTest fuzz).

What they prove: no input of the app, however malformed, ends in an exception (``at.exception``)
or in the "unexpected error ... please report" banner that :func:`dashboard.state.guarded` shows for
a programming error. A refused input shows one line (no line break) that names the field, file or
column. The inputs: the Scenario form's number and text inputs at and beyond their bounds, the YAML
editor (malformed, aliases, deep, huge), the sidebar upload (YAML, TOML, zip, CSV companions), the
intraday-profile CSV upload of the form, the Saved-scenarios bundle upload, the Seasonal upload
and form, the Backtest contact log and sessions, and the number and text inputs of the Staffing,
Schedule, Simulation, Compare setups, Saved scenarios and Sensitivity views.

Each case starts a fresh app (about a second), so the cases are parametrised and marked slow; the
inputs it found are checked without Streamlit in ``tests/dashboard/test_input_errors.py`` (fast).

What it found (all fixed): the "unexpected error" banner for a .zip with a damaged member in the
sidebar, Seasonal and Saved-scenarios uploads (zlib error), for a contact log in which every contact
abandoned (division by zero) and for any change of the cloud setup's notification deflection (its
incidents' times formatted twice); out-of-range log timestamps shown as pandas' own message through
a broad ``except ValueError``; server temporary paths in Backtest messages; silent acceptance of
history dates in the years 1000 and 9999, of a 1e300 seasonal headcount, of a 3 MB description and of
negative burst agents / retrial probability in the form (read as "none").
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from .conftest import click, errors, show

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.slow]

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
BANNER = "unexpected error"

SMALL = ("name: fuzz\ninterval_minutes: 30\nintervals: 2\nstart_time: '08:00'\nreplications: 2\nseed: 1\n"
         "channels:\n  voice: {arrivals_per_interval: [5, 3], aht_seconds: 100}\n"
         "staff: [{name: a, channels: [voice], agents: 3}]\n")
DAILY = SMALL.replace("arrivals_per_interval: [5, 3]", "daily_total: 100, profile: p.csv")
HISTORY = SMALL.replace("arrivals_per_interval: [5, 3]", "history_csv: h.csv")

#: Malformed CSV contents shared by every CSV upload (profile, history, seasonal history, contact log, sessions).
BAD_CSV = {
    "empty": b"",
    "header only": None,  # the header of the file kind (filled in per kind)
    "wrong columns": b"a,b\n1,2\n",
    "binary": bytes(range(256)) * 4,
    "utf-16": "a,b\n1,2\n".encode("utf-16"),
    "ragged": b"a,b\n1,2,3\n",
}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _corrupt_zip(members: dict[str, bytes]) -> bytes:
    """A zip whose central directory is fine but whose compressed data is damaged (CRC / zlib error)."""
    data = bytearray(_zip(members))
    start = data.index(b"PK\x03\x04") + 30 + len(next(iter(members)))
    for offset in range(start + 2, start + 12):
        data[offset] ^= 0xFF
    return bytes(data)


def _check(at, what: str, *, refused: bool | None = None, names: tuple[str, ...] = ()) -> list[str]:
    """Assert no exception and no "unexpected error" banner; return the error lines shown."""
    assert not at.exception, (what, [e.value for e in at.exception])
    shown = errors(at)
    assert not [m for m in shown if BANNER in m], (what, shown)
    assert all("\n" not in m for m in shown), (what, shown)
    if refused:
        assert shown, f"{what}: refused silently (no error shown)"
        for name in names:
            assert any(name in m for m in shown), (what, name, shown)
    return shown


def _fresh(app_file):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(app_file), default_timeout=120)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def fresh():
    from .conftest import APP_FILE

    return lambda: _fresh(APP_FILE)


# --------------------------------------------------------------------------- sidebar upload
def _upload_cases():
    cases = {
        "empty yaml": [("s.yaml", b"")],
        "binary yaml": [("s.yaml", bytes(range(256)))],
        "latin-1 yaml": [("s.yaml", "name: caf\xe9\n".encode("latin-1"))],
        "duplicate key": [("s.yaml", (SMALL + "name: again\n").encode())],
        "alias bomb": [("s.yaml", b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                                  b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n")],
        "deep": [("s.yaml", ("a: " + "[" * 3000 + "]" * 3000 + "\n").encode())],
        "huge numbers": [("s.yaml", SMALL.replace("[5, 3]", "[1e308, 1e308]").encode())],
        "inf": [("s.yaml", SMALL.replace("aht_seconds: 100", "aht_seconds: .inf").encode())],
        "nan": [("s.yaml", SMALL.replace("agents: 3", "agents: .nan").encode())],
        "negative": [("s.yaml", SMALL.replace("agents: 3", "agents: -3").encode())],
        "toml syntax": [("s.toml", b"name = [\n")],
        "toml duplicate": [("s.toml", b"name = 'a'\nname = 'b'\n")],
        "not a zip": [("s.zip", b"PK\x03\x04 not really")],
        "corrupt zip member": [("s.zip", _corrupt_zip({"s.yaml": SMALL.encode() * 50}))],
        "zip without scenario": [("s.zip", _zip({"p.csv": b"time,share\n"}))],
        "csv only": [("p.csv", b"time,share\n00:00,1\n")],
    }
    for kind, text, header in (("profile", DAILY, b"time,share\n"), ("history", HISTORY, b"timestamp,voice\n")):
        name = "p.csv" if kind == "profile" else "h.csv"
        rows = {"header only": header, "nan": header + b"00:00,nan\n", "inf": header + b"00:00,inf\n",
                "negative": header + b"00:00,-1\n", "huge": header + b"00:00,1e308\n00:15,1e308\n",
                "non-numeric": header + b"00:00,abc\n"}
        if kind == "history":
            rows = {k: v.replace(b"00:00,", b"2026-01-01 00:00,").replace(b"00:15,", b"2026-01-01 00:30,")
                    for k, v in rows.items()}
            rows["far dates"] = header + b"1000-01-01 00:00,1\n9999-01-01 00:00,1\n"
        for label, content in {**BAD_CSV, **rows}.items():
            if content is not None:
                cases[f"{kind} csv {label}"] = [("s.yaml", text.encode()), (name, content)]
    return cases


UPLOAD_CASES = _upload_cases()


@pytest.mark.parametrize("case", list(UPLOAD_CASES))
def test_sidebar_upload_of_bad_files_is_one_line(fresh, case):
    at = fresh()
    at.file_uploader(key="sidebar.upload").set_value([(n, d, "application/octet-stream") for n, d in UPLOAD_CASES[case]])
    at.run()
    _check(at, case, refused=True, names=("Upload rejected",))


# --------------------------------------------------------------------------- Scenario form
FORM_NUMBERS = (-1.0, 0.0, 1e15, -1e15)
FORM_TEXTS = ("", "abc", "-1", "1e400", "nan", "inf", "99:99", ", , ,", "1," * 5000, "x" * 5000)


_FORM_REFUSAL = re.compile(r"^Change not applied: edited scenario: [^:]+: .+\. The last good scenario is kept\.$")
"""A refused form edit: the field path, then the reason with the allowed range."""


def _check_form(at, what: str) -> None:
    for message in _check(at, what):
        assert _FORM_REFUSAL.match(message), (what, message)


def _form_widgets(at, kind: str) -> list[str]:
    widgets = at.number_input if kind == "number" else at.text_input
    return [w.key for w in widgets if str(w.key).startswith("edit.")]


@pytest.mark.parametrize("value", FORM_NUMBERS)
def test_every_scenario_form_number_at_and_beyond_its_bounds(fresh, value):
    at = fresh()
    failures = []
    for key in _form_widgets(at, "number"):
        if key not in [w.key for w in at.number_input]:  # the previous input broke the form
            failures.append(f"{key}: not drawn after the previous input")
            at = fresh()
        original = at.number_input(key=key).value
        at.number_input(key=key).set_value(value)
        try:
            click(at, "Apply changes")
            _check_form(at, key)
        except AssertionError as exc:
            failures.append(f"{key}={value}: {exc}")
        if at.session_state["ccplan_scenario_state"].revision:  # accepted: start again from the default
            at = fresh()
        else:
            at.number_input(key=key).set_value(original)
    assert not failures, failures


@pytest.mark.parametrize("value", FORM_TEXTS)
def test_every_scenario_form_text_with_bad_text(fresh, value):
    at = fresh()
    failures = []
    for key in _form_widgets(at, "text"):
        if key not in [w.key for w in at.text_input]:
            failures.append(f"{key}: not drawn after the previous input")
            at = fresh()
        original = at.text_input(key=key).value
        at.text_input(key=key).set_value(value)
        try:
            click(at, "Apply changes")
            _check_form(at, key)
        except AssertionError as exc:
            failures.append(f"{key}={value[:20]!r}: {exc}")
        if at.session_state["ccplan_scenario_state"].revision:
            at = fresh()
        else:
            at.text_input(key=key).set_value(original)
    assert not failures, failures


PROFILE_CSVS = {**{k: v for k, v in BAD_CSV.items() if v is not None}, "header only": b"time,share\n",
                "nan": b"time,share\n00:00,nan\n", "negative": b"time,share\n00:00,-1\n00:15,2\n",
                "huge": b"time,share\n00:00,1e308\n12:00,1e308\n", "duplicate times": b"time,share\n00:00,1\n00:00,1\n"}


@pytest.mark.parametrize("case", list(PROFILE_CSVS))
def test_profile_csv_upload_of_the_form(fresh, case):
    at = fresh()
    key = next(k for k in (w.key for w in at.file_uploader) if str(k).endswith("profile_csv"))
    at.file_uploader(key=key).set_value(("bad.csv", PROFILE_CSVS[case], "text/csv"))
    click(at, "Apply changes")
    _check(at, case, refused=True, names=("profile",))


YAML_TEXTS = {
    "syntax": "name: [unclosed",
    "empty": "",
    "list": "- 1\n- 2\n",
    "duplicate key": SMALL + "name: again\n",
    "alias": "base: &b {aht_seconds: 100}\n" + SMALL,
    "deep": "a: " + "[" * 3000 + "]" * 3000,
    "huge": SMALL + "description: " + "x" * 3_000_000 + "\n",
    "huge numbers": SMALL.replace("intervals: 2", "intervals: 1e300"),
    "python tag": SMALL + "x: !!python/object/apply:os.system [ls]\n",
    "names a server file": SMALL.replace("arrivals_per_interval: [5, 3]", "history_csv: /etc/passwd"),
}


@pytest.mark.parametrize("case", list(YAML_TEXTS))
def test_yaml_editor_with_bad_text(fresh, case):
    at = fresh()
    key = next(w.key for w in at.text_area if str(w.key).startswith("yaml."))
    at.text_area(key=key).set_value(YAML_TEXTS[case])
    click(at, "Apply YAML")
    _check(at, case, refused=True, names=("YAML not applied",))


# --------------------------------------------------------------------------- other views
NUMBER_CASES = [
    ("Staffing", "staffing.volume_change_percent", v) for v in (-100.0, -1e9, 1e9)
] + [
    ("Staffing", "staffing.aht_change_seconds", v) for v in (-1e9, 1e9, -100.0)
] + [
    ("Simulation", "simulation.seed", v) for v in (-1, 2**70)
] + [
    ("Simulation", "simulation.replications", v) for v in (0, 10**9)
] + [
    ("Compare setups", "compare.replications", v) for v in (0, -5, 10**9)
] + [
    ("Compare setups", "compare.seed", v) for v in (-1, 2**70)
] + [
    ("Schedule", "schedule.replications", v) for v in (10**9,)
] + [
    ("Schedule", "schedule.seed", v) for v in (2**70,)
] + [
    ("Sensitivity", "sensitivity.replications", v) for v in (0, -3, 10**9)
] + [
    ("Seasonal plan", f"seasonal.{k}", v) for k in ("headcount", "attrition", "shrinkage", "paid_hours")
    for v in (-1.0, 1e300)
]

_SUBMIT = {"Simulation": "Run simulation", "Compare setups": "Compare setups", "Schedule": "Make the schedule",
           "Sensitivity": "Run what-if", "Seasonal plan": "Plan"}


@pytest.mark.parametrize(("view", "key", "value"), NUMBER_CASES)
def test_view_number_inputs_beyond_their_bounds(fresh, view, key, value):
    at = show(fresh(), view)
    if view == "Sensitivity":
        at.radio(key="sensitivity.mode").set_value(at.radio(key="sensitivity.mode").options[-1])
    at.number_input(key=key).set_value(value)
    if view in _SUBMIT:
        click(at, _SUBMIT[view])
    else:
        at.run()
    _check(at, f"{view} {key}={value}")


TEXT_CASES = [("Sensitivity", "sensitivity.values", v) for v in ("abc", "1e400", "-5", "nan", "inf", "1e300", "0", "1," * 500)]
TEXT_CASES += [("Schedule", key, v) for key in ("schedule.shift_hours", "schedule.break_window_hours", "schedule.max_part_time_share",
                                         "schedule.break_minutes")
               for v in ("abc", "-1", "1e400", "nan", "0", "")]
TEXT_CASES += [("Saved scenarios", "library.name.0", v) for v in ("", "   ", "../../etc/passwd", "x" * 5000, "a/b\\c\x00")]


@pytest.mark.parametrize(("view", "key", "value"), TEXT_CASES)
def test_view_text_inputs_with_bad_text(fresh, view, key, value):
    at = show(fresh(), view)
    at.text_input(key=key).set_value(value)
    if view == "Saved scenarios":
        click(at, "Save")
    else:
        click(at, _SUBMIT[view])
    _check(at, f"{view} {key}={value[:20]!r}")


# --------------------------------------------------------------------------- uploads of the other views
def _seasonal_cases():
    plan = (EXAMPLES / "seasonal_retail.yaml").read_bytes()
    history = "seasonal_retail_history.csv"
    header = b"period,voice,chat\n"
    cases = {"duplicate key": [("p.yaml", plan + b"name: again\n"), (history, (EXAMPLES / history).read_bytes())],
             "nested duplicate key": [("p.yaml", plan.replace(b"  headcount: 115\n", b"  headcount: 115\n  headcount: 9\n")),
                                      (history, (EXAMPLES / history).read_bytes())],
             "toml text in a yaml": [("p.yaml", b"name = 'x'\n")], "binary plan": [("p.yaml", bytes(range(256)))],
             "huge numbers": [("p.yaml", plan.replace(b"aht_seconds: 300", b"aht_seconds: 1e300")),
                              (history, (EXAMPLES / history).read_bytes())],
             "huge headcount": [("p.yaml", plan.replace(b"headcount: 115", b"headcount: 1e300")),
                                (history, (EXAMPLES / history).read_bytes())],
             "corrupt zip": [("p.zip", _corrupt_zip({"p.yaml": plan * 3}))]}
    rows = {"header only": header, "nan": header + b"2022-01,nan,1\n", "non-numeric": header + b"2022-01,abc,1\n",
            "negative": header + b"2022-01,-1,1\n", "huge": header + b"2022-01,1e308,1e308\n"}
    for label, content in {**BAD_CSV, **rows}.items():
        if content is not None:
            cases[f"history {label}"] = [("p.yaml", plan), (history, content)]
    return cases


SEASONAL_CASES = _seasonal_cases()


@pytest.mark.parametrize("case", list(SEASONAL_CASES))
def test_seasonal_upload_of_bad_files_is_one_line(fresh, case):
    at = show(fresh(), "Seasonal plan")
    at.file_uploader(key="seasonal.upload").set_value([(n, d, "application/octet-stream") for n, d in SEASONAL_CASES[case]])
    at.run()
    _check(at, case, refused=True)


def _log_cases():
    lines = (EXAMPLES / "contact_log.csv").read_text().splitlines()[:300]
    head, rows = lines[0], [line.split(",") for line in lines[1:]]

    def changed(column: int, value: str, every: bool = False) -> bytes:
        out = [list(r) for r in rows]
        for r in out if every else out[3:4]:
            r[column] = value
        return ("\n".join([head] + [",".join(r) for r in out]) + "\n").encode()

    cases = {k: v for k, v in BAD_CSV.items() if v is not None}
    cases.update({"header only": (head + "\n").encode(), "non-numeric wait": changed(2, "abc"), "nan wait": changed(2, "nan"),
                  "inf handle": changed(3, "inf"), "negative handle": changed(3, "-5"), "huge handle": changed(3, "1e308"),
                  "bad time": changed(0, "not-a-time"), "far future": changed(0, "9999-03-04T08:00:00"),
                  "far past": changed(0, "1000-03-04T08:00:00"), "every contact abandoned": changed(1, "abandoned", every=True),
                  "unknown outcome": changed(1, "exploded"), "parquet garbage": b"PAR1 garbage"})
    return cases


LOG_CASES = _log_cases()
LOG_ACCEPTED = {"every contact abandoned"}
"""Odd but valid logs: backtested (this one used to divide by zero)."""
SESSIONS_CASES = {**{k: v for k, v in BAD_CSV.items() if v is not None}, "header only": b"agent,start,end\n",
                  "bad time": b"agent,start,end\na,xx,yy\n",
                  "end before start": b"agent,start,end\na,2024-03-04T10:00,2024-03-04T08:00\n",
                  "far dates": b"agent,start,end\na,1000-03-04T10:00,9999-03-04T08:00\n"}


@pytest.mark.parametrize(("uploader", "case"), [("backtest.log", c) for c in LOG_CASES]
                         + [("backtest.sessions", c) for c in SESSIONS_CASES])
def test_backtest_uploads_of_bad_files_are_one_line(fresh, uploader, case):
    at = show(fresh(), "Backtest")
    content = (LOG_CASES if uploader == "backtest.log" else SESSIONS_CASES)[case]
    name = "log.parquet" if case == "parquet garbage" else "upload.csv"
    at.file_uploader(key=uploader).set_value((name, content, "text/csv"))
    at.slider(key="backtest.replications").set_value(20)
    click(at, "Run the backtest")
    if case in LOG_ACCEPTED:
        assert _check(at, case) == [] and at.dataframe, f"{case}: not backtested"
        return
    shown = _check(at, f"{uploader}: {case}", refused=True)
    assert not [m for m in shown if "/tmp" in m], shown  # the upload is named, never a server path


BUNDLE_CASES = {"not a zip": b"garbage", "corrupt member": _corrupt_zip({"a.yaml": SMALL.encode() * 50}),
                "bad scenario": _zip({"a.yaml": b"name: [unclosed"}), "binary member": _zip({"a.yaml": bytes(range(256))}),
                "no scenario": _zip({"a.csv": b"x"})}


@pytest.mark.parametrize("case", list(BUNDLE_CASES))
def test_saved_scenarios_bundle_upload_of_bad_files(fresh, case):
    at = show(fresh(), "Saved scenarios")
    at.file_uploader(key="library.upload").set_value(("bundle.zip", BUNDLE_CASES[case], "application/zip"))
    at.run()
    _check(at, case, refused=True, names=("Bundle not loaded",))


def test_a_valid_notification_deflection_edit_is_applied(fresh):
    """Changing the cloud setup's notification deflection used to fail on its incidents' clock times
    ("unexpected error": the times were formatted twice), whatever the value."""
    at = fresh()
    key = next(w.key for w in at.number_input if str(w.key).endswith("setup.deflected_share"))
    at.number_input(key=key).set_value(0.35)
    click(at, "Apply changes")
    _check(at, "deflected share 0.35")
    assert errors(at) == []
    cloud = at.session_state["ccplan_scenario_state"].scenario.setup_for("cloud")
    assert cloud.notifications.deflected_share == 0.35
