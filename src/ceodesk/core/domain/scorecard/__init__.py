"""The scorecard: a team's weekly measurables against their goals, 13 weeks at a glance.

Rules:

- A measurable has one owner, a unit (number, currency, percent, yesno, duration) and a
  goal with an operator (>=, <=, =, >, <, between; between includes both bounds).
- Values are kept per ISO week ("2026-W48"). Percent values are percent points: "38%"
  and "38" both mean 38. Yes/no is 1 or 0. A duration is kept in minutes.
- Goal changes apply from a week onward; past weeks keep the goal they had. Weeks before
  the first goal are judged by the first goal, so back-filled history is coloured too.
- With a tolerance (a fraction of the goal, e.g. 0.1), a value reads "exceeds" when it is
  beyond the goal by more than the tolerance, "slightly behind" when it misses by at most
  the tolerance; otherwise "on target" / "off target".
- A formula measurable ("won / leads") is computed per week from the same week's values
  and never typed; a missing input or a division by zero leaves the week empty. A
  percent formula is a ratio shown as a percentage, as in a spreadsheet: 0.38 reads 38%.
- The average ignores empty weeks (for yes/no it is the share of yes weeks).
- Each measurable says how its weeks combine into one number (``combine``): "sum" for
  flows (leads, revenue, hours of training), "average" for levels and rates (NPS, a
  median, a response time, a percentage), "last" for a balance read at the end (cash,
  headcount). By default number and currency sum; percent, yes/no, duration and formulas
  (ratios) average. The grid's total is the sum and shows only for "sum" measurables;
  the month roll-up uses the same rule (``combine_weeks``).
- A measurable off goal 3 weeks running is proposed as an issue. The week still in
  progress (``open_week``) does not end the run while it is empty: it is not in yet.
- Numbers are shown in full below 10,000 ("9,500", "12.5") and compact from there on
  ("12.4k", "1.5m", "2b"); currency the same with "$"; percent with one decimal ("92.5%");
  durations like estimates ("1h30", "45m"); yes/no as "yes" / "no".

Parts: ``values`` (parsing and formatting per unit), ``grading`` (operators, grades, runs,
combining weeks), ``formulas``, ``views`` (the 13-week grid, trend), ``measurables`` (add,
edit, archive, reorder, goals, values), ``templates``. Import from this package; a part
imports its siblings directly.
"""

from ceodesk.core.domain.scorecard.formulas import check_formula, evaluate_formula
from ceodesk.core.domain.scorecard.grading import (
    COMBINE_RULES,
    GRADES,
    OFF_GOAL_WEEKS_TO_PROPOSE,
    OPERATORS,
    combine_weeks,
    consecutive_off_goal,
    default_combine,
    grade,
    is_on_goal,
)
from ceodesk.core.domain.scorecard.measurables import (
    LONGEST_NAME,
    add_measurable,
    archive_measurable,
    clear_value,
    edit_measurable,
    find_measurable,
    move_measurable,
    record_value,
    set_goal,
)
from ceodesk.core.domain.scorecard.templates import TEMPLATES, TemplateMeasurable, add_template
from ceodesk.core.domain.scorecard.values import (
    MAX_MAGNITUDE,
    UNITS,
    average,
    format_goal,
    format_value,
    parse_goal,
    parse_value,
    total,
)
from ceodesk.core.domain.scorecard.views import (
    SCORECARD_SIZE,
    TRAILING_WEEKS,
    ScorecardCell,
    ScorecardGroup,
    ScorecardRow,
    ScorecardView,
    TrendPoint,
    scorecard,
    scorecard_rows,
    trend,
)

__all__ = [
    "COMBINE_RULES",
    "GRADES",
    "LONGEST_NAME",
    "MAX_MAGNITUDE",
    "OFF_GOAL_WEEKS_TO_PROPOSE",
    "OPERATORS",
    "SCORECARD_SIZE",
    "TEMPLATES",
    "TRAILING_WEEKS",
    "UNITS",
    "ScorecardCell",
    "ScorecardGroup",
    "ScorecardRow",
    "ScorecardView",
    "TemplateMeasurable",
    "TrendPoint",
    "add_measurable",
    "add_template",
    "archive_measurable",
    "average",
    "check_formula",
    "clear_value",
    "combine_weeks",
    "consecutive_off_goal",
    "default_combine",
    "edit_measurable",
    "evaluate_formula",
    "find_measurable",
    "format_goal",
    "format_value",
    "grade",
    "is_on_goal",
    "move_measurable",
    "parse_goal",
    "parse_value",
    "record_value",
    "scorecard",
    "scorecard_rows",
    "set_goal",
    "total",
    "trend",
]
