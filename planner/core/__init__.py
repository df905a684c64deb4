"""The planner's vocabulary: problems, plans, the center's domain, rules, errors, cells and words.

Imports no other planner package; everything else builds on it.
"""
