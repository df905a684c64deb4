"""A fast valid plan to start the exact solvers from, and the greedy baseline.

`warm_start` solves a min-cost-flow relaxation of levels 1-2 (rules 1, 3 and 5
with the trained minimum; overlaps and trainee pairing dropped), repairs what
the relaxation broke, and tops slots up greedily. The result obeys every hard
rule, so CP-SAT takes it as a hint and HiGHS as a starting solution; on the
usual weeks (no overlapping slots) it is already optimal for levels 1-2 and the
solvers only have to prove it. When the repaired plan meets the flow's lower
bound on levels 1-2, that bound is the proof, and `Start.proven` says so.

The soft goals steer the same flow: their per-pair weights (changes from the
published plan, preferences) are its arc costs below one unit of level 2,
and a bisection over a cap on everyone's shifts finds the least "most shifts
for one person" any plan optimal on levels 1-2 can have. Together they give
a lower bound on the soft level (`Start.soft_bound`) that the solvers start
from; when the start meets it, no solver runs at all.

`greedy` is the simple baseline the benchmarks compare against.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

from planner.core.problem import Slot
from planner.engine.linear import Expr, LinearModel, Row
from planner.engine.rules import PlanModel

Pair = tuple[str, str]  # (volunteer id, slot id)


class _Plan:
    """An assignment under construction that keeps rules 2-5 checkable in O(1)-ish."""

    def __init__(self, m: PlanModel):
        self.m = m
        self.on: dict[str, list[str]] = defaultdict(list)  # slot id -> volunteer ids
        self.slots_of: dict[str, list[Slot]] = defaultdict(list)
        self.used: dict[tuple[str, str], int] = defaultdict(int)  # (vid, kind) -> count
        self.trained_on: dict[str, int] = defaultdict(int)

    def trained(self, vid: str) -> bool:
        return self.m.problem.volunteer(vid).trained

    def can_add(self, vid: str, slot: Slot) -> bool:
        vol = self.m.problem.volunteer(vid)
        if (vid, slot.id) not in self.m.x or vid in self.on[slot.id]:
            return False
        if len(self.on[slot.id]) >= slot.target or self.used[vid, slot.kind] >= vol.cap(slot.kind):
            return False
        if any(s.overlaps(slot) for s in self.slots_of[vid]):
            return False
        return not (slot.kind == "shift" and not vol.trained and not self.trained_on[slot.id])

    def add(self, vid: str, slot: Slot) -> None:
        self.on[slot.id].append(vid)
        self.slots_of[vid].append(slot)
        self.used[vid, slot.kind] += 1
        if self.trained(vid):
            self.trained_on[slot.id] += 1

    def pairs(self) -> set[Pair]:
        return {(vid, sid) for sid, vids in self.on.items() for vid in vids}


def _pins(m: PlanModel) -> _Plan:
    plan = _Plan(m)
    for pin in m.problem.pinned:
        plan.add(pin.volunteer, m.problem.slot(pin.slot))
    return plan


def _wants(plan: _Plan, slot: Slot, stage: str) -> bool:
    if stage == "trained":
        return plan.trained_on[slot.id] < slot.min_trained
    return len(plan.on[slot.id]) < (slot.min if stage == "min" else slot.target)


def _fill(plan: _Plan) -> None:
    """Top slots up: trained minimums first, then minimums, then targets.

    Slots with the fewest candidates go first, and each slot takes the
    candidates with the fewest other options, so scarce people are kept for
    the slots that need them.
    """
    m = plan.m
    options = {vid: len(slots) for vid, slots in m.by_volunteer.items()}
    order = sorted(m.problem.slots, key=lambda s: (len(m.by_slot[s.id]), s.start, s.id))
    for stage in ("trained", "min", "target"):
        for slot in order:
            if not _wants(plan, slot, stage):
                continue
            pool = [v for v in m.by_slot[slot.id] if stage != "trained" or plan.trained(v)]
            # Trained people first on a shift without one, so trainees can follow.
            pool.sort(key=lambda v, s=slot: (not (s.kind == "shift" and plan.trained(v)
                                                  and not plan.trained_on[s.id]), options[v], v))
            for vid in pool:
                if not _wants(plan, slot, stage):
                    break
                if plan.can_add(vid, slot):
                    plan.add(vid, slot)


def greedy(m: PlanModel) -> set[Pair]:
    """The benchmarks' baseline: pins, then `_fill` alone (no flow, no solver)."""
    plan = _pins(m)
    _fill(plan)
    return plan.pairs()


@dataclass(frozen=True)
class _Flow:
    chosen: list[Pair]
    # Lower bound on W * unfilled + below_target over all plans (None: not exact).
    bound: int | None
    # The steering costs of the chosen pairs: the least any plan meeting `bound` pays.
    steered: int


def _flow(m: PlanModel, steer: dict[Pair, int], most_shifts: int | None = None) -> _Flow:
    """Min-cost flow over rules 1, 3 and 5 with the contract's levels 1-2 as costs.

    Nodes: source -> (volunteer, kind) -> [slot's trained node ->] slot -> sink.
    A trained volunteer enters a slot through its trained node, whose arc to
    the sink carries the trained minimum. For any plan that keeps the hard
    rules, routing it through the network costs exactly
    W * unfilled + below_target - sum(W * need + target) (need = max(min,
    min_trained), W = sum of targets + 1), provided every slot's target is at
    least its min and min_trained. The network drops rules 2, 4 and 6, so its
    minimum cost plus that constant is a lower bound on W * unfilled +
    below_target over all plans (None when the proviso fails). Those costs are
    scaled by S = sum(|steer|) + 1 and each pair's arc gets its `steer` cost
    (the soft goals' own per-pair weights), so among the flows best on levels
    1-2 the flow pays the least steering cost. Pins get a bonus on their arcs
    to steer the flow; since a plan uses every pin, the bound stays valid
    whether or not the flow uses every pin. `most_shifts` caps everyone's
    shifts (a relaxation of "nobody has more shifts than that").
    """
    problem = m.problem
    weight = sum(s.target for s in problem.slots) + 1  # one unfilled position outweighs all of level 2
    pins = set((p.volunteer, p.slot) for p in problem.pinned)
    scale = sum(abs(c) for c in steer.values()) + 1
    pin_bonus = scale * (weight * (len(problem.slots) + 1) + 1)
    node_of: dict[object, int] = {}

    def node(key: object) -> int:
        if key not in node_of:
            node_of[key] = len(node_of)
        return node_of[key]

    source, sink = node("source"), node("sink")
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []

    def arc(tail: int, head: int, cap: int, cost: int) -> int:
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)
        return len(tails) - 1

    pair_arcs: list[tuple[int, Pair]] = []
    total = 0
    for vid, slots in m.by_volunteer.items():
        vol = problem.volunteer(vid)
        for kind in ("shift", "meal"):
            mine = [s for s in slots if s.kind == kind]
            if not mine:
                continue
            most = min(vol.cap(kind), len(mine))
            if most_shifts is not None and kind == "shift":
                most = min(most, most_shifts)
            total += most
            arc(source, node((vid, kind)), most, 0)
            for slot in mine:
                head = node((slot.id, "trained")) if vol.trained and slot.min_trained else node(slot.id)
                pair = (vid, slot.id)
                cost = steer.get(pair, 0) - (pin_bonus if pair in pins else 0)
                pair_arcs.append((arc(node((vid, kind)), head, 1, cost), pair))
    for slot in problem.slots:
        trained_cap = min(slot.min_trained, slot.target)
        need_cap = max(0, min(slot.min, slot.target) - trained_cap)
        if slot.min_trained:
            arc(node((slot.id, "trained")), sink, trained_cap, -scale * (weight + 1))
            arc(node((slot.id, "trained")), node(slot.id), slot.target, 0)
        arc(node(slot.id), sink, need_cap, -scale * (weight + 1))
        arc(node(slot.id), sink, slot.target - trained_cap - need_cap, -scale)
    arc(source, sink, total, 0)  # people left unassigned
    flow = min_cost_flow.SimpleMinCostFlow()
    # Arc by arc: the batch call needs numpy, whose import alone costs a process 0.2 s.
    for arc_data in zip(tails, heads, caps, costs, strict=True):
        flow.add_arc_with_capacity_and_unit_cost(*arc_data)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        return _Flow([], None, 0)
    chosen = [pair for index, pair in pair_arcs if flow.flow(index) > 0]
    steered = sum(steer.get(pair, 0) for pair in chosen)
    bonus = sum(pin_bonus for pair in chosen if pair in pins)
    cost, rest = divmod(flow.optimal_cost() + bonus - steered, scale)
    exact = rest == 0 and all(s.target >= max(s.min, s.min_trained) for s in problem.slots)
    constant = sum(weight * max(s.min, s.min_trained) + s.target for s in problem.slots)
    return _Flow(chosen, constant + cost if exact else None, steered)


def _repair(m: PlanModel, flow: list[Pair]) -> set[Pair]:
    """A plan that keeps every hard rule: pins, the flow's pairs that still fit, then `_fill`."""
    plan = _pins(m)
    pinned = set((p.volunteer, p.slot) for p in m.problem.pinned)
    chosen = [pair for pair in flow if pair not in pinned]
    slot_order = {s.id: i for i, s in enumerate(m.problem.slots)}
    # Trained people first, so the trainees that follow find a leader in place.
    chosen.sort(key=lambda pair: (not plan.trained(pair[0]), slot_order[pair[1]], pair[0]))
    for vid, slot_id in chosen:
        slot = m.problem.slot(slot_id)
        if plan.can_add(vid, slot):
            plan.add(vid, slot)
    _fill(plan)
    return plan.pairs()


def _violation(row: Row, values: list[int]) -> tuple[int, int] | None:
    """(by how much, +1 if too low / -1 if too high), or None when the row holds."""
    activity = sum(c * values[v] for v, c in row.terms.items())
    if row.lower is not None and activity < row.lower:
        return row.lower - activity, 1
    if row.upper is not None and activity > row.upper:
        return activity - row.upper, -1
    return None


def complete(lp: LinearModel, fixed: dict[int, int]) -> list[int] | None:
    """A full solution of `lp` with `fixed` values, or None.

    Every other variable starts at its lower bound and is raised only as far
    as a row demands, which gives the auxiliary variables of the plan model
    (unfilled counts, the trainee's "led" flag, loads, working days) their
    least consistent values. None when some row still fails.
    """
    values = [fixed.get(v, lo) for v, lo in enumerate(lp.lower)]
    rows_of: dict[int, list[int]] = defaultdict(list)
    for r, row in enumerate(lp.rows):
        for v in row.terms:
            if v not in fixed:
                rows_of[v].append(r)
    queue = list(range(len(lp.rows)))
    queued = [True] * len(lp.rows)
    while queue:
        r = queue.pop()
        queued[r] = False
        row = lp.rows[r]
        violation = _violation(row, values)
        if violation is None:
            continue
        short, sign = violation
        for v, c in row.terms.items():
            if v not in fixed and sign * c > 0 and values[v] < lp.upper[v]:
                values[v] = min(lp.upper[v], values[v] + -(-short // abs(c)))
                for other in rows_of[v]:
                    if not queued[other]:
                        queued[other] = True
                        queue.append(other)
                break
    return None if any(_violation(row, values) for row in lp.rows) else values


@dataclass(frozen=True)
class Start:
    """A full solution to start from, proven optimal on its first `proven` levels.

    When both levels are proven, `lower` holds variable bounds and `soft_bound`
    a bound on the soft level that every plan optimal on levels 1-2 meets.
    """

    values: list[int]
    proven: int = 0
    lower: dict[int, int] = field(default_factory=dict)
    soft_bound: int | None = None


def _most_shifts(m: PlanModel, pairs: list[Pair]) -> int:
    shifts: dict[str, int] = defaultdict(int)
    for vid, slot_id in pairs:
        shifts[vid] += m.problem.slot(slot_id).kind == "shift"
    return max(shifts.values(), default=0)


def _fewest_most_shifts(m: PlanModel, steer: dict[Pair, int], flow: _Flow, top: int) -> int:
    """The least cap on everyone's shifts under which the flow still reaches its bound.

    Bisection over the cap, up to the most shifts the uncapped flow gives
    anyone; since the flow relaxes the plan, every plan optimal on levels 1-2
    gives someone at least that many shifts.
    """
    low, high = m.lp.lower[top], _most_shifts(m, flow.chosen)
    while low < high:
        middle = (low + high) // 2
        if _flow(m, steer, middle).bound == flow.bound:
            high = middle
        else:
            low = middle + 1
    return low


def warm_start(m: PlanModel, unfilled: Expr, below: Expr, soft: Expr | None = None) -> Start | None:
    """A valid plan for the solvers to start from, steered by the soft goals' per-pair costs.

    When its W * unfilled + below_target meets the flow's lower bound, it is
    optimal on levels 1 and 2 (no plan has fewer unfilled positions, and none
    with as few has fewer positions below target, since below_target < W), and
    the start says so: the solver then only works on the soft goals. The
    flow then also bounds the soft level: its least steering cost, plus the
    least "most shifts for one person" the flow allows (tried as a second
    start, capped there), plus the least of every other term.
    """
    if any(m.outside.values()):
        return None
    soft = soft or Expr()
    steer = {pair: soft.terms[var] for pair, var in m.x.items() if soft.terms.get(var)}
    flow = _flow(m, steer)
    flows = [flow]
    top = m.most_shifts
    most = None
    if flow.bound is not None and top is not None:
        most = _fewest_most_shifts(m, steer, flow, top)
        if most < _most_shifts(m, flow.chosen):
            flows.append(_flow(m, steer, most))
    weight = sum(s.target for s in m.problem.slots) + 1
    best: tuple[tuple[int, int], list[int]] | None = None
    for candidate in flows:
        pairs = _repair(m, candidate.chosen)
        values = complete(m.lp, {var: int(pair in pairs) for pair, var in m.x.items()})
        if values is not None:
            key = (weight * unfilled.value(values) + below.value(values), soft.value(values))
            if best is None or key < best[0]:
                best = key, values
    if best is None:
        return None
    (levels, _), values = best
    if flow.bound is None or levels != flow.bound:
        return Start(values)
    lower = {top: most} if top is not None and most is not None else {}
    # The pairs' terms are in the flow's steering cost; every other term at its least.
    least = soft.constant + flow.steered
    pairs = set(m.x.values())
    for var, coef in soft.terms.items():
        if var not in pairs:
            low = lower.get(var, m.lp.lower[var])
            least += min(coef * low, coef * m.lp.upper[var])
    return Start(values, 2, lower, least)
