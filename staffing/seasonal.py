"""Seasonal capacity plans: from monthly or weekly volumes to required FTE and a hiring plan.

Required FTE (workload method)
    ``required_fte = volume * aht_seconds / 3600 / occupancy / (paid_hours_per_fte * (1 - shrinkage))``
    per channel and period, summed over channels (one blended pool). ``paid_hours_per_fte`` are
    the paid hours of one FTE in one period (e.g. 37.5 h x 52 / 12 = 162.5 h a month); the target
    occupancy stands in for the queueing slack an Erlang model adds at interval level (Cleveland,
    *Call Center Management on Fast Forward*, 3rd ed., 2012, ch. 7: "workload / occupancy /
    (1 - shrinkage)"). Chat with concurrency can pass its effective handle time per contact.

The workforce model (all quantities in FTE; one agent = one FTE)
    Cohorts are tracked separately. The existing staff (``Workforce.headcount``) are fully
    productive and leave at ``Workforce.attrition_rate`` per period; a hire *decided* in period
    ``d`` starts in ``s = d + lead_time_periods``, then leaves at the hiring source's attrition
    rate. Leavers leave at the end of a period: a cohort of ``h`` counts ``h`` in its start
    period and ``h (1 - a)^k`` in its ``k``-th period after it. A new agent trains for
    ``tau = training_weeks / weeks_per_period`` periods (unproductive, paid); in the period where
    training ends it is productive for the remaining share of the period at ``ramp[0]``, then at
    ``ramp[1]``, ``ramp[2]`` ... and at 1.0 once the curve ends.

    Per period the gap ``required - productive staff`` is filled, cheapest first, by overtime (at
    most ``overtime_limit`` x productive staff FTE), temporary staff (at most ``temp_limit_fte``)
    and cloud burst capacity (billed per productive hour, no lead time, at most
    ``burst_limit_fte``); what remains is the shortfall. The hires are chosen by a small integer
    program (HiGHS via :func:`scipy.optimize.milp`): whole hires per period minimising salaries,
    hiring cost, overtime, temps, burst and a shortfall penalty over the horizon. Salaries after
    the horizon are not counted (hiring at the very end looks cheap; plan a few periods past
    the peak). Given the hires, the levers do not interact across periods, so
    :func:`evaluate_capacity_plan` fills them greedily and reproduces the optimiser's table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._validate import ArrayOrFloat, StaffingInputError, as_float_array

__all__ = [
    "Workforce",
    "CapacityOptions",
    "CapacityPlan",
    "CapacityComparison",
    "required_fte",
    "new_hire_productivity",
    "evaluate_capacity_plan",
    "plan_capacity",
    "compare_capacity_options",
    "CAPACITY_COLUMNS",
    "WEEKS_PER_MONTH",
]

#: Weeks in an average month (52 / 12).
WEEKS_PER_MONTH = 52.0 / 12.0

COLUMN_PERIOD = "period"
COLUMN_REQUIRED = "required_fte"
COLUMN_HEADCOUNT = "headcount"
COLUMN_HIRES_DECIDED = "hires_decided"
COLUMN_HIRES_STARTED = "hires_started"
COLUMN_LEAVERS = "leavers"
COLUMN_IN_TRAINING = "in_training"
COLUMN_PRODUCTIVE = "productive_fte"
COLUMN_OVERTIME = "overtime_fte"
COLUMN_TEMPS = "temp_fte"
COLUMN_BURST = "burst_fte"
COLUMN_AVAILABLE = "available_fte"
COLUMN_SHORTFALL = "shortfall_fte"
COLUMN_COST = "cost"
#: Columns of :attr:`CapacityPlan.table`, one row per period.
CAPACITY_COLUMNS = (
    COLUMN_PERIOD, COLUMN_REQUIRED, COLUMN_HEADCOUNT, COLUMN_HIRES_DECIDED, COLUMN_HIRES_STARTED,
    COLUMN_LEAVERS, COLUMN_IN_TRAINING, COLUMN_PRODUCTIVE, COLUMN_OVERTIME, COLUMN_TEMPS,
    COLUMN_BURST, COLUMN_AVAILABLE, COLUMN_SHORTFALL, COLUMN_COST,
)

_TOLERANCE = 1e-6  # FTE: below this a shortfall is solver round-off


def required_fte(volume: ArrayLike, aht_seconds: ArrayLike, *, paid_hours_per_fte: ArrayLike, occupancy: ArrayLike=0.85, shrinkage: ArrayLike=0.0) -> ArrayOrFloat:
    """FTE needed per period by the workload method (see the module docstring).

    Parameters
    ----------
    volume : array_like
        Contacts per period (>= 0).
    aht_seconds : array_like
        Average handle time per contact, seconds (>= 0).
    paid_hours_per_fte : float
        Paid hours of one FTE in one period, hours (> 0).
    occupancy : array_like
        Target occupancy, in (0, 1] (default 0.85).
    shrinkage : float
        Share of paid time not available for contacts, in [0, 1) (default 0).

    Returns
    -------
    numpy.ndarray
        Required FTE per period.

    Examples
    --------
    >>> float(required_fte(10_000, 360, paid_hours_per_fte=160, occupancy=0.8, shrinkage=0.2))
    9.765625
    """
    volumes = as_float_array(volume, "volume", minimum=0.0)
    aht = as_float_array(aht_seconds, "aht_seconds", minimum=0.0)
    paid = as_float_array(paid_hours_per_fte, "paid_hours_per_fte", minimum=0.0, allow_equal_minimum=False)
    occ = as_float_array(occupancy, "occupancy", minimum=0.0, allow_equal_minimum=False, maximum=1.0)
    shrink = as_float_array(shrinkage, "shrinkage", minimum=0.0)
    if (shrink >= 1.0).any():
        raise StaffingInputError(f"shrinkage must be in [0, 1), got {float(np.max(shrink))!r}")
    return volumes * aht / 3600.0 / occ / (paid * (1.0 - shrink))


def new_hire_productivity(periods: int, *, training_weeks: float, weeks_per_period: float, ramp: Sequence[float]):
    """Productive share and training share of a new agent by period since its start.

    Parameters
    ----------
    periods : int
        How many periods to return (>= 1).
    training_weeks : float
        Weeks of unproductive training after the start (>= 0).
    weeks_per_period : float
        Weeks per period (:data:`WEEKS_PER_MONTH` or 1).
    ramp : sequence of float
        Productivity in (0, 1] in the 1st, 2nd, ... period after training (1.0 after the curve).

    Returns
    -------
    productive, training : numpy.ndarray
        Shape ``(periods,)``: FTE share productive, and share of the period spent in training.

    Examples
    --------
    >>> productive, training = new_hire_productivity(4, training_weeks=6, weeks_per_period=4, ramp=[0.5, 0.8])
    >>> productive.tolist(), training.tolist()
    ([0.0, 0.25, 0.8, 1.0], [1.0, 0.5, 0.0, 0.0])
    """
    tau = float(training_weeks) / float(weeks_per_period)
    steps = np.arange(periods)
    training = np.clip(tau - steps, 0.0, 1.0)
    first = int(math.floor(tau))
    productive = np.zeros(periods)
    for k in range(first, periods):
        position = k - first
        level = ramp[position] if position < len(ramp) else 1.0
        productive[k] = level * (1.0 - training[k])
    return productive, training


@dataclass(frozen=True)
class Workforce:
    """The existing staff at the start of the plan.

    Parameters
    ----------
    headcount : float
        Agents (FTE) at the start of the first period, fully trained (>= 0).
    attrition_rate : float
        Share of them leaving per period, in [0, 1).
    cost_per_fte_period : float
        Loaded salary of one FTE for one period, currency units (>= 0).
    """

    headcount: float
    attrition_rate: float
    cost_per_fte_period: float

    def __post_init__(self) -> None:
        as_float_array(self.headcount, "headcount", minimum=0.0)
        as_float_array(self.attrition_rate, "attrition_rate", minimum=0.0, maximum=0.999999)
        as_float_array(self.cost_per_fte_period, "cost_per_fte_period", minimum=0.0)


@dataclass(frozen=True)
class CapacityOptions:
    """The levers of one setup (in-house hiring, a virtual hiring pool, cloud burst...).

    Parameters
    ----------
    name : str
        Label in reports.
    lead_time_periods : int
        Periods between a hiring decision and the start date (>= 0; default 2).
    training_weeks : float
        Unproductive (paid) training weeks of a new hire (>= 0; default 4).
    ramp : tuple of float
        Productivity in (0, 1] by period after training; 1.0 afterwards (default 0.5, 0.75, 0.9).
    attrition_rate : float, optional
        Share of new hires leaving per period, in [0, 1) (default: the workforce's).
    cost_per_fte_period : float, optional
        Salary of a new hire per period (default: the workforce's).
    cost_per_hire : float
        One-off recruiting cost per hire, booked in the start period (default 0).
    max_hires_per_period : float, optional
        Most hires starting in one period (default unlimited; 0 disables hiring).
    overtime_limit : float
        Most overtime as a share of productive staff FTE, in [0, 1] (default 0).
    overtime_cost_per_fte_period : float
        Cost of one FTE of overtime for one period (default 0).
    temp_limit_fte : float
        Most temporary staff per period, FTE, fully productive, no lead time (default 0).
    temp_cost_per_fte_period : float
        Cost of one temporary FTE for one period (default 0).
    burst_price_per_hour : float, optional
        Cloud burst capacity price per productive agent-hour (None, default: no burst).
    burst_limit_fte : float, optional
        Most burst capacity per period, FTE (default unlimited when burst is on).
    """

    name: str = "in-house"
    lead_time_periods: int = 2
    training_weeks: float = 4.0
    ramp: tuple[float, ...] = (0.5, 0.75, 0.9)
    attrition_rate: float | None = None
    cost_per_fte_period: float | None = None
    cost_per_hire: float = 0.0
    max_hires_per_period: float | None = None
    overtime_limit: float = 0.0
    overtime_cost_per_fte_period: float = 0.0
    temp_limit_fte: float = 0.0
    temp_cost_per_fte_period: float = 0.0
    burst_price_per_hour: float | None = None
    burst_limit_fte: float | None = None

    def __post_init__(self) -> None:
        label = f"capacity options {self.name!r}"
        if int(self.lead_time_periods) != self.lead_time_periods or self.lead_time_periods < 0:
            raise StaffingInputError(f"{label}: lead_time_periods must be a whole number >= 0, got {self.lead_time_periods!r}")
        as_float_array(self.training_weeks, f"{label}: training_weeks", minimum=0.0)
        ramp = tuple(float(value) for value in self.ramp)
        as_float_array(ramp or [1.0], f"{label}: ramp", minimum=0.0, allow_equal_minimum=False, maximum=1.0)
        object.__setattr__(self, "ramp", ramp)
        if self.attrition_rate is not None:
            as_float_array(self.attrition_rate, f"{label}: attrition_rate", minimum=0.0, maximum=0.999999)
        for name in ("cost_per_fte_period", "max_hires_per_period", "burst_price_per_hour", "burst_limit_fte"):
            if getattr(self, name) is not None:
                as_float_array(getattr(self, name), f"{label}: {name}", minimum=0.0)
        for name in ("cost_per_hire", "overtime_cost_per_fte_period", "temp_limit_fte", "temp_cost_per_fte_period"):
            as_float_array(getattr(self, name), f"{label}: {name}", minimum=0.0)
        as_float_array(self.overtime_limit, f"{label}: overtime_limit", minimum=0.0, maximum=1.0)
        if self.burst_limit_fte is not None and self.burst_price_per_hour is None:
            raise StaffingInputError(f"{label}: burst_limit_fte needs burst_price_per_hour (burst capacity is off)")


@dataclass(frozen=True)
class CapacityPlan:
    """A seasonal capacity plan for one set of options.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per period (:data:`CAPACITY_COLUMNS`), FTE and currency units.
    options : CapacityOptions
    total_cost : float
        Sum of the ``cost`` column, currency units.
    shortfall_fte_periods : float
        Sum of the shortfall, FTE-periods.
    service : float
        Share of required FTE-periods covered, in [0, 1].
    total_hires : float
        Hires starting within the horizon.
    status : str
        ``"optimal"`` (solver), ``"time limit"`` or ``"given"`` (hires passed in).
    """

    table: pd.DataFrame
    options: CapacityOptions
    total_cost: float
    shortfall_fte_periods: float
    service: float
    total_hires: float
    status: str

    def to_frame(self) -> pd.DataFrame:
        """A copy of the per-period table."""
        return self.table.copy()


@dataclass(frozen=True)
class CapacityComparison:
    """Plans of several setups for the same required FTE.

    Attributes
    ----------
    plans : Mapping[str, CapacityPlan]
        Plan per options name, in the order given.
    """

    plans: Mapping[str, CapacityPlan] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per setup: cost, service, shortfall (total, worst period and at the peak), hires."""
        rows = []
        for name, plan in self.plans.items():
            table = plan.table
            peak = int(table[COLUMN_REQUIRED].to_numpy().argmax())
            worst = int(table[COLUMN_SHORTFALL].to_numpy().argmax())
            rows.append({
                "setup": name,
                "total_cost": plan.total_cost,
                "service": plan.service,
                "shortfall_fte_periods": plan.shortfall_fte_periods,
                "max_shortfall_fte": float(table[COLUMN_SHORTFALL].iloc[worst]),
                "worst_period": table[COLUMN_PERIOD].iloc[worst] if plan.shortfall_fte_periods > 0 else None,
                "peak_period": table[COLUMN_PERIOD].iloc[peak],
                "shortfall_at_peak_fte": float(table[COLUMN_SHORTFALL].iloc[peak]),
                "hires": plan.total_hires,
                "overtime_fte_periods": float(table[COLUMN_OVERTIME].sum()),
                "temp_fte_periods": float(table[COLUMN_TEMPS].sum()),
                "burst_fte_periods": float(table[COLUMN_BURST].sum()),
            })
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class _Model:
    """Linear maps from hires started per period to the plan's quantities."""

    required: np.ndarray
    base_headcount: np.ndarray  # existing staff per period
    headcount_map: np.ndarray  # (P, P): hires started in s -> headcount in p
    productive_map: np.ndarray
    training_map: np.ndarray
    hire_cost: np.ndarray  # cost over the horizon of one hire starting in s
    base_cost: np.ndarray  # existing staff salary per period
    hire_salary: float
    hire_attrition: float
    base_attrition: float
    levers: tuple  # ((name, limit per period (array), cost per FTE-period), ...) cheapest first


def _model(required, workforce: Workforce, options: CapacityOptions, weeks_per_period: float, productive_hours_per_fte_period: float) -> _Model:
    periods = required.size
    steps = np.arange(periods)
    base = workforce.headcount * (1.0 - workforce.attrition_rate) ** steps
    attrition = workforce.attrition_rate if options.attrition_rate is None else options.attrition_rate
    salary = workforce.cost_per_fte_period if options.cost_per_fte_period is None else options.cost_per_fte_period
    productive, training = new_hire_productivity(periods, training_weeks=options.training_weeks, weeks_per_period=weeks_per_period, ramp=options.ramp)
    age = steps[:, None] - steps[None, :]  # period p minus start s
    started = age >= 0
    survival = np.where(started, (1.0 - attrition) ** np.clip(age, 0, None), 0.0)
    clipped = np.clip(age, 0, periods - 1)
    headcount_map = survival
    productive_map = survival * np.where(started, productive[clipped], 0.0)
    training_map = survival * np.where(started, training[clipped], 0.0)
    hire_cost = salary * headcount_map.sum(axis=0) + options.cost_per_hire
    levers: list[tuple[str, float | None, float]] = []
    if options.overtime_limit > 0:
        levers.append(("overtime", None, float(options.overtime_cost_per_fte_period)))
    if options.temp_limit_fte > 0:
        levers.append(("temps", float(options.temp_limit_fte), float(options.temp_cost_per_fte_period)))
    if options.burst_price_per_hour is not None:
        limit = math.inf if options.burst_limit_fte is None else float(options.burst_limit_fte)
        levers.append(("burst", limit, float(options.burst_price_per_hour) * productive_hours_per_fte_period))
    levers.sort(key=lambda lever: lever[2])
    return _Model(
        required=required,
        base_headcount=base,
        headcount_map=headcount_map,
        productive_map=productive_map,
        training_map=training_map,
        hire_cost=hire_cost,
        base_cost=workforce.cost_per_fte_period * base,
        hire_salary=float(salary),
        hire_attrition=float(attrition),
        base_attrition=float(workforce.attrition_rate),
        levers=tuple(levers),
    )


def _check_common(required_fte_per_period, periods, weeks_per_period, productive_hours_per_fte_period):
    required = as_float_array(required_fte_per_period, "required_fte", minimum=0.0)
    if required.ndim != 1:
        raise StaffingInputError(f"required_fte must be 1-D (one value per period), got shape {required.shape}")
    as_float_array(weeks_per_period, "weeks_per_period", minimum=0.0, allow_equal_minimum=False)
    as_float_array(productive_hours_per_fte_period, "productive_hours_per_fte_period", minimum=0.0, allow_equal_minimum=False)
    if periods is None:
        labels = [str(index) for index in range(required.size)]
    else:
        labels = [str(label) for label in periods]
        if len(labels) != required.size:
            raise StaffingInputError(f"periods has {len(labels)} labels but required_fte has {required.size} values")
    return required, labels


def evaluate_capacity_plan(
    required_fte_per_period: ArrayLike,
    workforce: Workforce,
    options: CapacityOptions,
    hires_started: ArrayLike,
    *,
    periods: Sequence[str] | None = None,
    weeks_per_period: float = WEEKS_PER_MONTH,
    productive_hours_per_fte_period: float = 130.0,
    status: str = "given",
) -> CapacityPlan:
    """The per-period plan for given hires; overtime, temps and burst fill gaps cheapest first.

    Parameters
    ----------
    required_fte_per_period : array_like
        Required FTE per period (>= 0), e.g. from :func:`required_fte`.
    workforce : Workforce
        Existing staff.
    options : CapacityOptions
        The setup's levers.
    hires_started : array_like
        Hires starting in each period (>= 0; zero in the first ``lead_time_periods`` periods,
        which were decided before the plan).
    periods : sequence of str, optional
        Period labels (default ``"0", "1", ...``).
    weeks_per_period : float
        Weeks per period (default 52 / 12: months); converts ``training_weeks``.
    productive_hours_per_fte_period : float
        Productive (billable) hours of one FTE per period, hours; prices burst capacity
        (default 130 h = 162.5 paid h x 0.8).
    status : str
        Echoed in the result.

    Returns
    -------
    CapacityPlan
    """
    required, labels = _check_common(required_fte_per_period, periods, weeks_per_period, productive_hours_per_fte_period)
    hires = as_float_array(hires_started, "hires_started", minimum=0.0)
    if hires.shape != required.shape:
        raise StaffingInputError(f"hires_started has shape {hires.shape}, required_fte has {required.shape}")
    lead = int(options.lead_time_periods)
    if hires[:lead].any():
        raise StaffingInputError(
            f"hires_started must be 0 in the first lead_time_periods={lead} periods (decided before the plan starts)"
        )
    model = _model(required, workforce, options, weeks_per_period, productive_hours_per_fte_period)
    periods_count = required.size
    headcount = model.base_headcount + model.headcount_map @ hires
    productive = model.base_headcount + model.productive_map @ hires
    in_training = model.training_map @ hires
    hire_headcount = model.headcount_map @ hires
    leavers = model.base_attrition * model.base_headcount + model.hire_attrition * hire_headcount
    gap = np.clip(required - productive, 0.0, None)
    filled = {"overtime": np.zeros(periods_count), "temps": np.zeros(periods_count), "burst": np.zeros(periods_count)}
    lever_cost = np.zeros(periods_count)
    for name, limit, unit_cost in model.levers:
        cap = options.overtime_limit * productive if name == "overtime" else np.full(periods_count, limit)
        amount = np.minimum(gap, cap)
        filled[name] = amount
        gap = gap - amount
        lever_cost += amount * unit_cost
    shortfall = np.where(gap > _TOLERANCE, gap, 0.0)
    available = productive + filled["overtime"] + filled["temps"] + filled["burst"]
    cost = model.base_cost + model.hire_salary * hire_headcount + options.cost_per_hire * hires + lever_cost
    decided = np.zeros(periods_count)
    if lead < periods_count:
        decided[: periods_count - lead] = hires[lead:]
    table = pd.DataFrame(
        {
            COLUMN_PERIOD: labels,
            COLUMN_REQUIRED: required,
            COLUMN_HEADCOUNT: headcount,
            COLUMN_HIRES_DECIDED: decided,
            COLUMN_HIRES_STARTED: hires,
            COLUMN_LEAVERS: leavers,
            COLUMN_IN_TRAINING: in_training,
            COLUMN_PRODUCTIVE: productive,
            COLUMN_OVERTIME: filled["overtime"],
            COLUMN_TEMPS: filled["temps"],
            COLUMN_BURST: filled["burst"],
            COLUMN_AVAILABLE: available,
            COLUMN_SHORTFALL: shortfall,
            COLUMN_COST: cost,
        },
        columns=list(CAPACITY_COLUMNS),
    )
    total_required = float(required.sum())
    shortfall_total = float(shortfall.sum())
    return CapacityPlan(
        table=table,
        options=options,
        total_cost=float(cost.sum()),
        shortfall_fte_periods=shortfall_total,
        service=1.0 if total_required == 0 else 1.0 - shortfall_total / total_required,
        total_hires=float(hires.sum()),
        status=status,
    )


def plan_capacity(
    required_fte_per_period: ArrayLike,
    workforce: Workforce,
    options: CapacityOptions,
    *,
    periods: Sequence[str] | None = None,
    weeks_per_period: float = WEEKS_PER_MONTH,
    productive_hours_per_fte_period: float = 130.0,
    shortfall_cost_per_fte_period: float | None = None,
    time_limit_seconds: float = 30.0,
) -> CapacityPlan:
    """Hires per period at least cost (salaries, hiring, overtime, temps, burst, shortfall penalty).

    A small integer program solved by HiGHS (:func:`scipy.optimize.milp`): integer hires
    ``h_s`` for the periods ``s >= lead_time_periods``; continuous overtime ``o_p``, temps
    ``t_p``, burst ``b_p`` and shortfall ``u_p`` with ``productive_p(h) + o_p + t_p + b_p + u_p
    >= required_p`` and ``o_p <= overtime_limit * productive_p(h)``. See the module docstring.

    Parameters
    ----------
    required_fte_per_period, workforce, options, periods, weeks_per_period, productive_hours_per_fte_period
        As in :func:`evaluate_capacity_plan`.
    shortfall_cost_per_fte_period : float, optional
        Penalty per FTE-period short. Default ten times the largest cost per FTE-period of any
        lever (salary, overtime, temps, burst), so the plan covers whatever it can.
    time_limit_seconds : float
        Solver time limit, seconds (default 30).

    Returns
    -------
    CapacityPlan
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    required, labels = _check_common(required_fte_per_period, periods, weeks_per_period, productive_hours_per_fte_period)
    model = _model(required, workforce, options, weeks_per_period, productive_hours_per_fte_period)
    periods_count = required.size
    lead = int(options.lead_time_periods)
    unit_costs = [model.hire_salary, workforce.cost_per_fte_period] + [lever[2] for lever in model.levers]
    if shortfall_cost_per_fte_period is None:
        penalty = 10.0 * max(max(unit_costs), 1.0)
    else:
        penalty = float(as_float_array(shortfall_cost_per_fte_period, "shortfall_cost_per_fte_period", minimum=0.0))
    hire_upper = np.full(periods_count, np.inf if options.max_hires_per_period is None else float(options.max_hires_per_period))
    hire_upper[:lead] = 0.0
    # Variables: [h (P) | overtime (P) | temps (P) | burst (P) | shortfall (P)].
    lever_cost = {name: unit for name, _, unit in model.levers}
    lever_limit = {name: limit for name, limit, _ in model.levers}
    zeros, eye = np.zeros((periods_count, periods_count)), np.eye(periods_count)
    cost = np.concatenate([
        model.hire_cost,
        np.full(periods_count, lever_cost.get("overtime", 0.0)),
        np.full(periods_count, lever_cost.get("temps", 0.0)),
        np.full(periods_count, lever_cost.get("burst", 0.0)),
        np.full(periods_count, penalty),
    ])
    upper = np.concatenate([
        hire_upper,
        np.full(periods_count, np.inf if "overtime" in lever_cost else 0.0),
        np.full(periods_count, lever_limit.get("temps", 0.0)),
        np.full(periods_count, lever_limit.get("burst", 0.0)),
        np.full(periods_count, np.inf),
    ])
    integrality = np.concatenate([np.ones(periods_count), np.zeros(4 * periods_count)])
    cover = LinearConstraint(np.hstack([model.productive_map, eye, eye, eye, eye]), required - model.base_headcount, np.inf)
    overtime = LinearConstraint(
        np.hstack([-options.overtime_limit * model.productive_map, eye, zeros, zeros, zeros]),
        -np.inf,
        options.overtime_limit * model.base_headcount,
    )
    solution = milp(
        cost,
        integrality=integrality,
        bounds=Bounds(np.zeros(cost.size), upper),
        constraints=[cover, overtime],
        options={"time_limit": float(time_limit_seconds)},
    )
    if solution.x is None:
        raise StaffingInputError(f"the hiring plan could not be solved: {solution.message}")
    hires = np.round(solution.x[:periods_count])
    return evaluate_capacity_plan(
        required, workforce, options, hires,
        periods=labels, weeks_per_period=weeks_per_period,
        productive_hours_per_fte_period=productive_hours_per_fte_period,
        status="optimal" if solution.status == 0 else "time limit",
    )


def compare_capacity_options(
    required_fte_per_period: ArrayLike,
    workforce: Workforce,
    options: Sequence[CapacityOptions],
    **keywords,
) -> CapacityComparison:
    """:func:`plan_capacity` for each setup on the same required FTE; see :class:`CapacityComparison`.

    ``keywords`` are passed to :func:`plan_capacity`. Option names must be unique.
    """
    names = [option.name for option in options]
    if not names:
        raise StaffingInputError("options is empty; give at least one CapacityOptions")
    if len(set(names)) != len(names):
        raise StaffingInputError(f"options names must be unique, got {names}")
    plans = {option.name: plan_capacity(required_fte_per_period, workforce, option, **keywords) for option in options}
    return CapacityComparison(plans=MappingProxyType(plans))
