"""What a weekly session plans: about an hour's worth of people, the most urgent first."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_SIZE = 10  # people planned when no weekly goal says how many


@dataclass
class SessionPlan:
    ids: list[int] = field(default_factory=list)  # contact ids, in the order the session visits them
    waiting: int = 0  # people with a follow-up due this week left for another session


def plan_session(top: list[int], follow_up_people: list[int], size: int) -> SessionPlan:
    """The top of the ranking (`size` people: the weekly goal), then at most as many again of the
    people with a follow-up due this week, in `follow_up_people`'s order (most urgent first; a
    person named twice counts once). Whoever does not fit is counted as waiting, not dropped:
    at 30,000 contacts a week can hold a hundred follow-ups, far more than one sitting."""
    plan = list(dict.fromkeys(top))
    planned = set(plan)
    extra = [cid for cid in dict.fromkeys(follow_up_people) if cid not in planned]
    return SessionPlan(plan + extra[:size], max(0, len(extra) - size))
