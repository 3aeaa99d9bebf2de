"""Scenario view: the intraday curve and every input of the scenario, edited inside one form.

On "Apply changes" the edited values are written into the scenario's data and validated like a
file (:func:`dashboard.state.scenario_from_data`); a rejected edit shows the message with the
field path and the last good scenario stays current.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import PurePosixPath

import streamlit as st

from dashboard import compute
from dashboard.state import (
    EDIT_PREFIX,
    USER_ERRORS,
    ScenarioState,
    accept,
    current,
    error_message,
    parse_scenario_text,
    reject,
    scenario_data,
    scenario_from_data,
    scenario_to_yaml,
    store_upload,
)
from scenarios import AS_GIVEN, SETUP_CHOICES, SETUP_KINDS, format_clock
from scenarios.document.defaults import DEFAULT_SERVICE_LEVEL_GOAL, DEFAULT_TARGET_SECONDS
from scenarios.document.demand import volume_outside_horizon
from scenarios.document.files import FileRoot, resolve_file
from scenarios.document.profiles import PROFILE_NAMES
from scenarios.document.setups import setup_choice_label
from scenarios.errors import ScenarioError
from scenarios.report import charts

from ._common import metric_rows, show_figure

__all__ = ["render", "parse_numbers", "format_numbers", "form_key", "EDIT_PREFIX", "parse_routing", "with_profile_csvs"]



def parse_numbers(text: str):
    """``"10, 12 14"`` -> ``[10, 12, 14]``; one value -> that number; unreadable items kept as text.

    Keeping unreadable items lets the scenario schema name the field and the item in its message.
    """
    tokens = [token for token in re.split(r"[,\s;]+", text.strip()) if token]
    values = []
    for token in tokens:
        try:
            number = float(token)
        except ValueError:
            values.append(token)
            continue
        values.append(int(number) if number.is_integer() else number)
    if len(values) == 1:
        return values[0]
    return values


def format_numbers(values) -> str:
    """A list of numbers as ``"10, 12, 14"`` (whole numbers without decimals)."""
    if not isinstance(values, list | tuple):
        values = [values]
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def form_key(revision: int, *parts) -> str:
    """Key of a form widget: ``edit.<revision>.<field path>``.

    The scenario's revision makes every widget new when another scenario is accepted (loaded,
    uploaded or edited), so the browser can never submit a value typed into the previous
    scenario's form (issue 11, defect 1); the field path names the channel or group, so a value
    always belongs to one field of one channel (defect 2).
    """
    return EDIT_PREFIX + ".".join(str(p) for p in (revision, *parts))


def _key(*parts) -> str:
    return form_key(current().revision, *parts)


def _set(target: dict, key: str, value, current) -> None:
    """Write ``value`` unless it equals the current (effective) value, so files stay as written."""
    if isinstance(value, float) and isinstance(current, int | float) and current is not None and math.isclose(value, current):
        return
    if value != current:
        target[key] = value


def _optional_goal(edited: dict, name: str, key: str, label: str, current: float | None, step: float) -> None:
    """A sizing goal that may be absent (0 in the form): set, changed or removed in ``edited``."""
    value = st.number_input(f"{name}: {label}", value=float(current or 0.0), step=step,
                            key=_key("channels", name, key))
    if value == 0:
        edited.pop(key, None)
    else:
        _set(edited, key, value, current)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DISTRIBUTIONS = ("exponential", "lognormal", "weibull")


def _optional_whole(text: str):
    """``""`` -> None (unlimited); a whole number as int; anything else kept as text for the schema to name."""
    text = text.strip()
    if not text:
        return None
    parsed = parse_numbers(text)
    return parsed


def _patience_inputs(name: str, spec, edited: dict) -> None:
    """The patience family and its parameter (lognormal CV, Weibull shape); edits ``edited`` in place."""
    current = spec.patience.kind if spec.patience is not None else "exponential"
    if current not in _DISTRIBUTIONS:
        st.caption(f"{name}: patience is {current} (edit it in the YAML editor below)")
        return
    family = st.selectbox(f"{name}: patience distribution", _DISTRIBUTIONS, index=_DISTRIBUTIONS.index(current),
                          key=_key("channels", name, "patience_kind"),
                          help="The mean is the mean patience; lognormal takes a CV, Weibull a shape (< 1: many early "
                               "abandonments).")
    cv = st.number_input(f"{name}: patience CV (lognormal)",
                         value=float(spec.patience.cv if current == "lognormal" else 1.0), step=0.1,
                         key=_key("channels", name, "patience_cv"))
    shape = st.number_input(f"{name}: patience shape (Weibull)",
                            value=float(spec.patience.shape if current == "weibull" else 1.0), step=0.1,
                            key=_key("channels", name, "patience_shape"))
    new = {"lognormal": {"kind": "lognormal", "cv": cv}, "weibull": {"kind": "weibull", "shape": shape}}.get(family)
    old = {"lognormal": lambda: {"kind": "lognormal", "cv": spec.patience.cv},
           "weibull": lambda: {"kind": "weibull", "shape": spec.patience.shape}}.get(current, lambda: None)()
    if new != old:
        if new is None:
            edited.pop("patience", None)
        else:
            edited["patience"] = new


def _routing_text(spec) -> str:
    if spec.routing is None:
        return ""
    return ", ".join(step.group if not step.after_seconds else f"{step.group}@{step.after_seconds:g}" for step in spec.routing)


def parse_routing(text: str):
    """``"team a, team b@60"`` -> ``["team a", {"group": "team b", "after_seconds": 60}]``; ``""`` -> None.

    ``@seconds`` is the delayed overflow: the group may take the contact once it has waited that
    long. An unreadable number is kept as text, so the scenario schema names the field.
    """
    entries = [part.strip() for part in text.split(",") if part.strip()]
    if not entries:
        return None
    routing: list[str | dict[str, object]] = []
    for entry in entries:
        group, _, wait = entry.partition("@")
        if not wait.strip():
            routing.append(group.strip())
            continue
        seconds: float | str
        try:
            seconds = float(wait)
        except ValueError:
            seconds = wait.strip()  # left to the scenario's validation, which names the field
        routing.append({"group": group.strip(), "after_seconds": seconds})
    return routing


def _queue_inputs(name: str, kind: str, spec, edited: dict) -> None:
    """Queue capacity (blocking) and routing with delayed overflow; edits ``edited`` in place."""
    if kind != "email":
        text = st.text_input(f"{name}: queue capacity (waiting places; empty = unlimited)",
                             value="" if spec.queue_capacity is None else str(spec.queue_capacity),
                             key=_key("channels", name, "queue_capacity"),
                             help="A contact finding this many waiting is blocked (busy signal) and may retry.")
        value = _optional_whole(text)
        if value != spec.queue_capacity:
            if value is None:
                edited.pop("queue_capacity", None)
            else:
                edited["queue_capacity"] = value
    text = st.text_input(f"{name}: routing (groups in order; group@seconds = overflow after that wait; empty = default)",
                         value=_routing_text(spec), key=_key("channels", name, "routing"),
                         help="Default: the groups serving the channel, in staff order, at once.")
    routing = parse_routing(text)
    if routing != parse_routing(_routing_text(spec)):
        if routing is None:
            edited.pop("routing", None)
        else:
            edited["routing"] = routing


_COUNTED_ONLY = "(counted only)"


def _transfer_inputs(name: str, spec, edited: dict, others: dict[str, str]) -> None:
    """Transfer share and target channel, and the email channel receiving messages; edits ``edited``."""
    targets = [other for other, kind in others.items() if kind != "email"]
    transfer = spec.transfer
    if transfer is not None and not isinstance(transfer.to, str):
        st.caption(f"{name}: {transfer.share:.0%} transferred to group {transfer.to.group} (edit it in the YAML editor)")
    elif targets:
        share = st.number_input(f"{name}: transfer share (of answered contacts; 0 = none)",
                                value=float(transfer.share if transfer else 0.0), step=0.05,
                                key=_key("channels", name, "transfer_share"),
                                help="After their first talk this share joins the target channel's queue for a second "
                                     "service, holding the line.")
        current = transfer.to if transfer is not None and transfer.to in targets else targets[0]
        to = st.selectbox(f"{name}: transferred to", targets, index=targets.index(current),
                          key=_key("channels", name, "transfer_to"))
        if share == 0:
            edited.pop("transfer", None)
        elif transfer is None or not math.isclose(share, transfer.share) or to != transfer.to:
            edited["transfer"] = {"share": share, "to": to}
    emails = [other for other, kind in others.items() if kind == "email"]
    if emails:
        choices = [_COUNTED_ONLY, *emails]
        current = spec.messages_to if spec.messages_to in emails else _COUNTED_ONLY
        chosen = st.selectbox(f"{name}: messages (voicemail) handled by", choices, index=choices.index(current),
                              key=_key("channels", name, "messages_to"),
                              help="Messages left at the max wait or at closing become items of this email channel.")
        if chosen == _COUNTED_ONLY:
            edited.pop("messages_to", None)
        elif chosen != spec.messages_to:
            edited["messages_to"] = chosen


def _channel_extras(name: str, kind: str, spec, edited: dict) -> None:
    """Opening hours and holidays, intraday profile, handle-time and patience distributions, retrials."""
    cols = list(st.columns(4))
    hours = spec.opening_hours
    with cols[0]:
        always = st.checkbox(f"{name}: open 24/7", value=hours is None, key=_key("channels", name, "always_open"))
        opens = st.text_input(f"{name}: opens (HH:MM)", value=format_clock(hours.open) if hours else "08:00",
                              key=_key("channels", name, "open"))
        closes = st.text_input(f"{name}: closes (HH:MM)", value=format_clock(hours.close) if hours else "20:00",
                               key=_key("channels", name, "close"))
    with cols[1]:
        days = st.multiselect(f"{name}: open days", _DAYS, default=list(hours.days) if hours else list(_DAYS),
                              key=_key("channels", name, "days"))
        holidays = st.text_input(f"{name}: holidays (YYYY-MM-DD, comma-separated)",
                                 value=", ".join(str(d) for d in hours.holidays) if hours else "",
                                 key=_key("channels", name, "holidays"))
    new_hours = None if always else {"open": opens.strip(), "close": closes.strip(), "days": days,
                                      "holidays": [d for d in re.split(r"[,\s;]+", holidays.strip()) if d]}
    old_hours = None if hours is None else {"open": format_clock(hours.open), "close": format_clock(hours.close),
                                            "days": list(hours.days), "holidays": [str(d) for d in hours.holidays]}
    if new_hours != old_hours:
        edited["opening_hours"] = "24/7" if new_hours is None else new_hours
    with cols[2]:
        if "daily_total" in edited:
            names = list(PROFILE_NAMES)
            current_profile = spec.profile if spec.profile in names else None
            options = (["(the file's CSV profile)"] if spec.profile and current_profile is None else []) + ["(default)"] + names
            index = options.index(current_profile) if current_profile else 0
            profile = st.selectbox(f"{name}: intraday profile", options, index=index, key=_key("channels", name, "profile"),
                                   help="A bundled profile, or upload a CSV profile (columns time,share) below.")
            if profile in names and profile != spec.profile:
                edited["profile"] = profile
            elif profile == "(default)" and spec.profile is not None:
                edited.pop("profile", None)
            st.file_uploader(f"{name}: or draw the intraday profile from a CSV (columns time,share)", type=["csv"],
                             key=_key("channels", name, "profile_csv"),
                             help="Applied with the other changes; the CSV is kept with the scenario's files.")
        handle = spec.handle_time.kind if spec.handle_time is not None else "exponential"
        if handle not in ("exponential", "lognormal"):
            st.caption(f"{name}: handle time is {handle} (edit it in the YAML editor)")
        else:
            family = st.selectbox(f"{name}: handle-time distribution", ("exponential", "lognormal"),
                                  index=("exponential", "lognormal").index(handle), key=_key("channels", name, "handle_time"))
            cv = st.number_input(f"{name}: handle-time CV (lognormal)", value=float(getattr(spec.handle_time, "cv", 1.0) or 1.0),
                                 step=0.1, key=_key("channels", name, "handle_cv"))
            new = {"kind": "lognormal", "cv": cv} if family == "lognormal" else None
            old = spec.handle_time.model_dump() if spec.handle_time is not None and handle == "lognormal" else None
            if new != old:
                if new is None:
                    edited.pop("handle_time", None)
                else:
                    edited["handle_time"] = new
    if kind == "email":
        return
    with cols[3]:
        _patience_inputs(name, spec, edited)
        retrial = spec.retrial
        probability = st.number_input(f"{name}: retrial probability after abandoning", value=float(retrial.probability if retrial else 0.0),
                                      step=0.05, key=_key("channels", name, "retrial_probability"))
        old_delay = retrial.mean_delay_seconds if retrial else 600.0
        if old_delay is None:  # the delay distribution carries its own mean: edited in the YAML editor
            delay = None
            st.caption(f"{name}: retrial delay from its {retrial.delay.kind} distribution (edit it in the YAML editor)")
        else:
            delay = st.number_input(f"{name}: mean retrial delay (seconds)", value=float(old_delay),
                                    step=60.0, key=_key("channels", name, "retrial_delay"))
        if probability == 0:  # a negative probability goes on to validation, which names the field
            if retrial is not None:
                edited.pop("retrial", None)
        elif retrial is None:
            edited["retrial"] = {"probability": probability, "mean_delay_seconds": delay}
        else:  # change only what the form shows; the file's other retrial keys (delay distribution) stay
            changes = {"probability": probability} if probability != retrial.probability else {}
            if delay is not None and delay != retrial.mean_delay_seconds:
                changes["mean_delay_seconds"] = delay
            if changes:
                edited["retrial"] = {**edited.get("retrial", {}), **changes}


def _channel_inputs(name: str, kind: str, spec, data: dict, others: dict[str, str] | None = None) -> dict:
    """Widgets of one channel; returns the edited channel data."""
    edited = copy.deepcopy(data)
    st.markdown(f"**{name}** ({kind})")
    cols = list(st.columns(4))
    with cols[0]:
        if "daily_total" in data:
            value = st.number_input(f"{name}: daily volume (contacts/day)", value=float(spec.daily_total), step=50.0,
                                    key=_key("channels", name, "daily_total"))
            _set(edited, "daily_total", value, spec.daily_total)
        elif "arrivals_per_interval" in data:
            text = st.text_input(f"{name}: arrivals per interval (contacts; one number or one per interval)",
                                 value=format_numbers(list(spec.arrivals_per_interval)),
                                 key=_key("channels", name, "arrivals_per_interval"))
            parsed = parse_numbers(text)
            if parsed != parse_numbers(format_numbers(list(spec.arrivals_per_interval))):
                edited["arrivals_per_interval"] = parsed
        else:
            st.caption("Demand from a history file or customer segments: edit it in the scenario file.")
        if spec.aht_seconds is not None:
            value = st.number_input(f"{name}: AHT (seconds)", value=float(spec.aht_seconds), step=10.0,
                                    key=_key("channels", name, "aht_seconds"))
            _set(edited, "aht_seconds", value, spec.aht_seconds)
        value = st.number_input(f"{name}: after-contact work (seconds)", value=float(spec.after_contact_work_seconds), step=5.0,
                                key=_key("channels", name, "after_contact_work_seconds"))
        _set(edited, "after_contact_work_seconds", value, spec.after_contact_work_seconds)
    _channel_extras(name, kind, spec, edited)
    queue_column, transfer_column = st.columns(2)
    with queue_column:
        _queue_inputs(name, kind, spec, edited)
    if kind != "email":
        with transfer_column:
            _transfer_inputs(name, spec, edited, others or {})
    if kind == "email":
        with cols[1]:
            target = spec.response_target_hours or 24.0
            value = st.number_input(f"{name}: response target (hours)", value=float(target), step=1.0,
                                    key=_key("channels", name, "response_target_hours"))
            _set(edited, "response_target_hours", value, spec.response_target_hours if spec.response_target_hours else 24.0)
        return edited
    with cols[1]:
        patience = st.number_input(f"{name}: mean patience (seconds; 0 = nobody abandons)", value=float(spec.patience_seconds or 0.0),
                                   step=10.0, key=_key("channels", name, "patience_seconds"))
        if patience == 0 and spec.patience_seconds is not None:
            edited.pop("patience_seconds", None)
            edited.pop("patience", None)
        elif patience != 0:
            _set(edited, "patience_seconds", patience, spec.patience_seconds)
        goal = spec.service_level
        target = st.number_input(f"{name}: service-level target (seconds)", value=float(goal.target_seconds if goal else DEFAULT_TARGET_SECONDS),
                                 step=5.0, key=_key("channels", name, "target_seconds"))
        share = st.number_input(f"{name}: service-level goal (share answered in target)", value=float(goal.goal if goal else 0.8),
                                step=0.05, key=_key("channels", name, "goal"))
        if goal is None and (target != DEFAULT_TARGET_SECONDS or share != DEFAULT_SERVICE_LEVEL_GOAL) or goal is not None and (
                target != goal.target_seconds or share != goal.goal):
            edited["service_level"] = {"target_seconds": target, "goal": share}
        _optional_goal(edited, name, "max_occupancy", "occupancy cap (share of agent time; 0 = none)",
                       spec.max_occupancy, 0.05)
        if kind == "voice":
            _optional_goal(edited, name, "asa_goal_seconds", "ASA goal (seconds; 0 = none)", spec.asa_goal_seconds, 5.0)
            _optional_goal(edited, name, "max_abandon_rate", "abandon-rate cap (share; 0 = none)",
                           spec.max_abandon_rate, 0.01)
    with cols[2]:
        bot = spec.bot
        resolved = st.number_input(f"{name}: bot deflection (share resolved by the bot)", value=float(bot.resolved_share if bot else 0.0),
                                   step=0.05, key=_key("channels", name, "bot_resolved_share"))
        old_time = bot.bot_time_seconds if bot else 60.0
        if old_time is None:  # the bot-time distribution carries its own mean: edited in the YAML editor
            bot_time = None
            st.caption(f"{name}: time with the bot from its {bot.bot_time.kind} distribution (edit it in the YAML editor)")
        else:
            bot_time = st.number_input(f"{name}: time with the bot (seconds)", value=float(old_time),
                                       step=10.0, key=_key("channels", name, "bot_time_seconds"))
        escalation = st.number_input(f"{name}: escalated handle-time factor", value=float(bot.escalated_handle_time_factor if bot else 1.0),
                                     step=0.05, key=_key("channels", name, "escalated_handle_time_factor"))
        shown = {"resolved_share": resolved, "bot_time_seconds": bot_time, "escalated_handle_time_factor": escalation}
        if bot is None:
            if resolved != 0:
                edited["bot"] = shown
        else:  # change only what the form shows; the file's other bot keys (bot-time distribution) stay
            changes = {key: value for key, value in shown.items() if value is not None and value != getattr(bot, key)}
            if changes:
                edited["bot"] = {**edited.get("bot", {}), **changes}
    with cols[3]:
        if kind == "chat":
            concurrency = st.number_input(f"{name}: chat concurrency (chats per agent)", value=int(spec.concurrency), step=1,
                                          key=_key("channels", name, "concurrency"))
            _set(edited, "concurrency", int(concurrency), spec.concurrency)
            stretch = st.number_input(f"{name}: concurrency stretch (per extra chat)", value=float(spec.concurrency_stretch),
                                      step=0.05, key=_key("channels", name, "concurrency_stretch"))
            _set(edited, "concurrency_stretch", stretch, spec.concurrency_stretch)
        self_service = st.number_input(f"{name}: self-service share", value=float(spec.self_service_share), step=0.05,
                                       key=_key("channels", name, "self_service_share"))
        _set(edited, "self_service_share", self_service, spec.self_service_share)
    return edited


def _setup_entry(data: dict, kind: str) -> dict:
    for entry in data.setdefault("setups", []):
        if entry.get("kind") == kind:
            return entry
    given = data.get("setup") or {}
    entry = copy.deepcopy(given) if given.get("kind") == kind else {"kind": kind}  # keep the file's values
    data["setups"].append(entry)
    return entry


def _setup_inputs(scenario, data: dict) -> None:
    """Widgets of the setup block; edits ``data`` in place."""
    current = scenario.setup.kind if scenario.setup is not None else AS_GIVEN
    choice = st.selectbox("Setup applied by the Simulation view", SETUP_CHOICES, index=SETUP_CHOICES.index(current),
                          format_func=setup_choice_label, key=_key("setup", "kind"))
    inhouse, virtual, cloud = (scenario.setup_for(kind) for kind in SETUP_KINDS)
    cols = list(st.columns(3))
    edits: dict[str, dict] = {kind: {} for kind in SETUP_KINDS}
    with cols[0]:
        st.markdown("*In-house*")
        seats = st.number_input("Seats (0 = no cap)", value=int(inhouse.seats or 0), step=1, key=_key("setup", "seats"))
        _set(edits["in-house"], "seats", int(seats) if seats else None, inhouse.seats)
        cost = st.number_input("Seat cost per month", value=float(inhouse.seat_cost_per_month), step=10.0,
                               key=_key("setup", "seat_cost_per_month"))
        _set(edits["in-house"], "seat_cost_per_month", cost, inhouse.seat_cost_per_month)
    with cols[1]:
        st.markdown("*Virtual*")
        factor = st.number_input("AHT factor (remote)", value=float(virtual.aht_factor), step=0.01, key=_key("setup", "aht_factor"))
        _set(edits["virtual"], "aht_factor", factor, virtual.aht_factor)
        change = st.number_input("Shrinkage change (share)", value=float(virtual.shrinkage_change), step=0.01,
                                 key=_key("setup", "shrinkage_change"))
        _set(edits["virtual"], "shrinkage_change", change, virtual.shrinkage_change)
    with cols[2]:
        st.markdown("*Cloud*")
        threshold = st.number_input("Callback threshold (seconds of expected wait)", value=float(cloud.callbacks.threshold_seconds),
                                    step=10.0, key=_key("setup", "callback_threshold_seconds"))
        deflected = st.number_input("Notification deflection (share, during incidents)",
                                    value=float(cloud.notifications.deflected_share), step=0.05,
                                    key=_key("setup", "deflected_share"))
        burst = cloud.burst
        burst_agents = st.number_input("Burst agents at most (0 = no burst)", value=int(burst.max_agents if burst else 0),
                                       step=1, key=_key("setup", "burst_max_agents"))
        burst_price = st.number_input("Burst price per agent-minute", value=float(burst.price_per_minute if burst else 0.85),
                                      step=0.05, key=_key("setup", "burst_price_per_minute"))
        # 0 = no burst; a negative count goes on to validation, which names the field
        new_burst = None if burst_agents == 0 else {**(burst.model_dump(mode="json") if burst else {}),
                                                    "max_agents": int(burst_agents), "price_per_minute": burst_price}
        if new_burst != (burst.model_dump(mode="json") if burst else None):
            edits["cloud"]["burst"] = new_burst
        if threshold != cloud.callbacks.threshold_seconds:
            edits["cloud"]["callbacks"] = {**cloud.callbacks.model_dump(mode="json"), "threshold_seconds": threshold}
        if deflected != cloud.notifications.deflected_share:
            notifications = cloud.notifications.model_dump(mode="json")
            for incident in notifications["incidents"]:
                for key in ("start", "end"):  # minutes after midnight -> "HH:MM" (a dump may give either)
                    if not isinstance(incident[key], str):
                        incident[key] = format_clock(incident[key])
            edits["cloud"]["notifications"] = {**notifications, "deflected_share": deflected}
    for kind, changes in edits.items():
        if changes:
            entry = _setup_entry(data, kind)
            for key, value in changes.items():
                if value is None:
                    entry.pop(key, None)
                else:
                    entry[key] = value
    chosen = None if choice == AS_GIVEN else choice
    if chosen is None:
        data.pop("setup", None)
    elif chosen != (scenario.setup.kind if scenario.setup else None) or edits[chosen]:
        entries = [e for e in data.get("setups", []) if e.get("kind") == chosen]
        data["setup"] = copy.deepcopy(entries[0]) if entries else {"kind": chosen}
    if not data.get("setups"):
        data.pop("setups", None)


_CONTACT_SELECTION = ("priority", "longest_waiting")
_AGENT_SELECTION = ("ordered", "longest_idle", "random")


def _lines_and_policy(scenario, data: dict) -> None:
    """Trunks (telephone lines shared by voice) and the routing policy; edits ``data`` in place."""
    cols = list(st.columns(3))
    text = cols[0].text_input("Telephone lines shared by voice channels (trunks; empty = unlimited)",
                              value="" if scenario.trunks is None else str(scenario.trunks), key=_key("trunks"),
                              help="A call holds a line from arrival to the end of its talk; a call finding every "
                                   "line busy is blocked.")
    trunks = _optional_whole(text)
    if trunks != scenario.trunks:
        if trunks is None:
            data.pop("trunks", None)
        else:
            data["trunks"] = trunks
    policy = scenario.routing_policy
    contact = cols[1].selectbox("A freed agent takes", _CONTACT_SELECTION,
                                index=_CONTACT_SELECTION.index(policy.contact_selection),
                                key=_key("routing_policy", "contact_selection"),
                                help="priority: the first of its channels (staff order) with a waiting contact; "
                                     "longest_waiting: the contact waiting longest across its channels.")
    agent = cols[2].selectbox("A new contact goes to", _AGENT_SELECTION, index=_AGENT_SELECTION.index(policy.agent_selection),
                              key=_key("routing_policy", "agent_selection"),
                              help="ordered: the first group of its routing with a free agent; longest_idle: the agent "
                                   "idle longest; random: a group drawn in proportion to its free agents.")
    new = {"contact_selection": contact, "agent_selection": agent}
    if new != {"contact_selection": policy.contact_selection, "agent_selection": policy.agent_selection}:
        data["routing_policy"] = new


def _outbound_inputs(scenario, data: dict) -> None:
    """The blend threshold, contact rate, dial and talk times of each outbound campaign; edits ``data``
    in place (add or remove campaigns, lists and calling hours in the YAML editor)."""
    st.caption("Inbound always comes first: a free agent dials only while at least the reserve of the campaign's "
               "agents stays idle for inbound. Add campaigns, record lists and calling hours in the YAML editor below.")
    for index, campaign in enumerate(scenario.outbound):
        entry = data["outbound"][index]
        cols = list(st.columns(4))
        with cols[0]:
            reserve = st.number_input(f"{campaign.name}: reserve (idle agents kept for inbound)", value=int(campaign.reserve),
                                      min_value=0, step=1, key=_key("outbound", campaign.name, "reserve"))
            _set(entry, "reserve", int(reserve), campaign.reserve)
        with cols[1]:
            rate = st.number_input(f"{campaign.name}: contact rate (share of attempts reaching the customer)",
                                   value=float(campaign.contact_rate), step=0.05,
                                   key=_key("outbound", campaign.name, "contact_rate"))
            _set(entry, "contact_rate", float(rate), campaign.contact_rate)
        with cols[2]:
            dial = st.number_input(f"{campaign.name}: dial time per attempt (seconds)", value=float(campaign.dial_seconds),
                                   step=5.0, key=_key("outbound", campaign.name, "dial_seconds"))
            _set(entry, "dial_seconds", float(dial), campaign.dial_seconds)
        if campaign.aht_seconds is not None:
            with cols[3]:
                talk = st.number_input(f"{campaign.name}: mean talk time (seconds)", value=float(campaign.aht_seconds),
                                       step=10.0, key=_key("outbound", campaign.name, "aht_seconds"))
                _set(entry, "aht_seconds", float(talk), campaign.aht_seconds)


def _edited_data(scenario, files) -> dict:
    """Draw the form's widgets and return the scenario data with the values they hold."""
    data = scenario_data(scenario, files)
    with st.expander("Channels: volume, handle time, patience, bot, concurrency, targets", expanded=True):
        for name, spec in scenario.channels.items():
            others = {other: scenario.channel_kind(other) for other in scenario.channels if other != name}
            data["channels"][name] = _channel_inputs(name, scenario.channel_kind(name), spec, data["channels"][name], others)
    with st.expander("Agent groups and schedule", expanded=True):
        for index, group in enumerate(scenario.staff):
            cols = list(st.columns([1, 3, 1]))
            entry = data["staff"][index]
            with cols[0]:
                channels = st.multiselect(f"{group.name}: channels (priority order)", list(scenario.channels),
                                          default=list(group.channels), key=_key("staff", group.name, "channels"))
                if channels != list(group.channels):
                    entry["channels"] = channels
            with cols[1]:
                text = st.text_input(f"{group.name}: agents per interval (one number or one per interval)",
                                     value=format_numbers(list(group.agents)), key=_key("staff", group.name, "agents"))
                parsed = parse_numbers(text)
                if parsed != parse_numbers(format_numbers(list(group.agents))):
                    entry["agents"] = parsed
            with cols[2]:
                shrinkage = st.number_input(f"{group.name}: shrinkage (share)", value=float(group.shrinkage), step=0.05,
                                            key=_key("staff", group.name, "shrinkage"))
                _set(entry, "shrinkage", shrinkage, group.shrinkage)
    if scenario.outbound:
        with st.expander("Outbound campaigns (blended with inbound)", expanded=False):
            _outbound_inputs(scenario, data)
    with st.expander("Telephone lines and routing policy", expanded=False):
        _lines_and_policy(scenario, data)
    with st.expander("Setup (in-house, virtual, cloud)", expanded=False):
        _setup_inputs(scenario, data)
    with st.expander("Costs and simulation design", expanded=False):
        costs = scenario.costs
        edited_costs = dict(data.get("costs", {}))
        cols = list(st.columns(3))
        fields = (("agent_hourly_cost", f"Agent cost per paid hour ({costs.currency})"),
                  ("telephony_per_minute", f"Telephony per minute ({costs.currency})"),
                  ("chat_session_cost", f"Chat session cost ({costs.currency})"),
                  ("bot_session_cost", f"Bot session cost ({costs.currency})"),
                  ("licence_per_agent_month", f"Licence per agent per month ({costs.currency})"))
        for index, (field, label) in enumerate(fields):
            with cols[index % 3]:
                value = st.number_input(label, value=float(getattr(costs, field)), key=_key("costs", field))
                _set(edited_costs, field, value, getattr(costs, field))
        if edited_costs:
            data["costs"] = edited_costs
        cols = list(st.columns(3))
        with cols[0]:
            replications = st.number_input("Replications", value=int(scenario.replications), step=1, key=_key("replications"))
            _set(data, "replications", int(replications), scenario.replications)
        with cols[1]:
            seed = st.number_input("Seed", value=int(scenario.seed if scenario.seed is not None else 0), step=1, key=_key("seed"))
            if scenario.seed is not None or seed != 0:
                _set(data, "seed", int(seed), scenario.seed)
    return data


def _yaml_editor(state: ScenarioState) -> None:
    """The whole scenario as YAML: every key of the file (add or remove channels and groups, skills, routing...)."""
    with st.expander("Edit the whole scenario as YAML: add or remove channels and agent groups, skills and "
                     "priorities, routing, demand segments, incidents, every key of the file", expanded=False):
        text = st.text_area("Scenario file (YAML)", value=scenario_to_yaml(state.scenario), height=400,
                            key=f"yaml.{state.revision}")
        if st.button("Apply YAML", key=f"yaml.apply.{state.revision}"):
            try:
                edited = parse_scenario_text(text, "edited YAML.yaml")
            except USER_ERRORS as exc:
                message = f"YAML not applied: {error_message(exc)}. The last good scenario is kept."
                reject(message)
                st.error(message)
            else:
                if edited.to_canonical_json() != state.scenario.to_canonical_json():
                    accept(edited, "edited as YAML in the app")
                    st.rerun()
                st.info("Nothing changed.")


def _file_fields(data: dict):
    """``(container, key)`` of every field of ``data`` naming a CSV file (history, profiles)."""
    for channel in (data.get("channels") or {}).values():
        for key in ("history_csv", "profile"):
            if isinstance(channel.get(key), str) and channel[key].lower().endswith(".csv"):
                yield channel, key
    demand = data.get("demand")
    if isinstance(demand, dict) and isinstance(demand.get("profile"), str) and demand["profile"].lower().endswith(".csv"):
        yield demand, "profile"


def with_profile_csvs(data: dict, files: FileRoot, profiles: dict[str, tuple[str, bytes]]) -> tuple[dict, FileRoot]:
    """The scenario data with channels' intraday profiles drawn from uploaded CSVs, and its new file policy.

    The uploaded CSVs and every file the scenario already names (read under ``files``) go
    through the dashboard's one upload path (:func:`dashboard.state.store_upload`, the limits and
    checks of an upload) into a new private folder; the data then names them by file name, and
    the returned :meth:`FileRoot.upload` of that folder is the only place they are read from.

    Parameters
    ----------
    data : dict
        Scenario data (:func:`dashboard.state.scenario_data` plus the form's edits); not changed.
    files : FileRoot
        Where the files it names come from now.
    profiles : dict of str to (str, bytes)
        Channel name -> (uploaded file name, CSV bytes with columns ``time,share``).

    Raises
    ------
    ScenarioError
        A file name used twice, or an upload outside the limits (naming the file).
    """
    data = copy.deepcopy(data)
    contents: dict[str, bytes] = {}
    for container, key in _file_fields(data):
        path = resolve_file(container[key], files, what="file")
        name = PurePosixPath(path.name).name
        if name in contents and contents[name] != path.read_bytes():
            raise ScenarioError(f"two files the scenario names are both called {name!r}; rename one in the YAML editor")
        contents[name] = path.read_bytes()
        container[key] = name
    for channel, (upload_name, content) in profiles.items():
        name = PurePosixPath(str(upload_name).replace("\\", "/")).name
        if name in contents and contents[name] != content:
            raise ScenarioError(f"channels.{channel}.profile: the uploaded {name!r} has the name of another file the "
                                "scenario uses; rename it")
        contents[name] = content
        data["channels"][channel]["profile"] = name
    folder = store_upload(list(contents.items()))
    return data, FileRoot.upload(folder)


def render(state: ScenarioState) -> None:
    """Draw the Scenario view."""
    scenario = state.scenario
    scenario_json = scenario.to_canonical_json()
    st.subheader(scenario.name)
    if scenario.description:
        st.caption(scenario.description)
    arrivals = compute.arrivals_table(scenario_json)
    totals = arrivals.groupby("channel", sort=False)["arrivals"].sum()
    metric_rows([(f"{channel}: contacts in the horizon", f"{total:,.0f}", None) for channel, total in totals.items()]
                + [("Intervals", f"{scenario.intervals} x {scenario.interval_minutes:g} min", None),
                   ("Agent groups", str(len(scenario.staff)), None)], per_row=4)
    for channel, (daily, inside) in volume_outside_horizon(scenario).items():
        st.warning(f"{channel}: {daily:,.0f} contacts a day, {inside:,.0f} in the horizon "
                   f"({format_clock(scenario.start_time)}, {scenario.intervals} x {scenario.interval_minutes:g} min): "
                   f"{daily - inside:,.0f} fall outside it (or on closed hours) and are not simulated.")
    show_figure(charts.intraday_figure(arrivals))

    st.download_button("Download this scenario as YAML", scenario_to_yaml(scenario, state.file_root).encode("utf-8"),
                       file_name="scenario.yaml", mime="application/x-yaml", key="scenario.download", on_click="ignore",
                       help="A valid scenario file with every change applied here (ccplan simulate/compare read it).")
    with st.form("scenario-form"):
        data = _edited_data(scenario, state.file_root)
        submitted = st.form_submit_button("Apply changes", type="primary")
    _yaml_editor(state)
    if submitted:
        files = state.files
        try:
            profiles = {name: (upload.name, upload.getvalue()) for name in scenario.channels
                        if (upload := st.session_state.get(_key("channels", name, "profile_csv"))) is not None}
            if profiles:
                data, files = with_profile_csvs(data, state.file_root, profiles)
            edited = scenario_from_data(data, source="edited scenario", files=files or state.file_root)
        except USER_ERRORS as exc:
            message = f"Change not applied: {error_message(exc)}. The last good scenario is kept."
            reject(message)
            st.error(message)
        else:
            if edited.to_canonical_json() != scenario_json:  # accepted: redraw everything with it
                accept(edited, "edited in the app", files)
                st.rerun()
            else:
                st.info("Nothing changed.")
