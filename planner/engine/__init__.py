"""The planning engine: optimal plans, explained; what-if staffing; repairs; the no-show buffer.

Pure computation on `planner.core` objects: no database, no files, no Streamlit.
"""

from planner.engine.backends import BACKENDS, choose_backend
from planner.engine.buffer import buffer_by_weekday, frequent_days, with_no_show_buffer
from planner.engine.explain import unfilled_entries
from planner.engine.solve import SOLVERS, solve
from planner.engine.whatif import (
    CandidateAnswer,
    Fragility,
    LadderStep,
    Study,
    WhatIfAnswer,
    answer_to_json,
    combined,
    fragility,
    ladder,
    study,
    whatif,
)

__all__ = ["BACKENDS", "SOLVERS", "CandidateAnswer", "Fragility", "LadderStep", "Study", "WhatIfAnswer",
           "answer_to_json", "buffer_by_weekday", "choose_backend", "combined", "fragility",
           "frequent_days", "ladder", "solve", "study", "unfilled_entries", "whatif",
           "with_no_show_buffer"]
