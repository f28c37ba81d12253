"""Monthly assessment (考核) of staff and windows, DOMAIN.md "Assessment": framework-free rules.

- `rules`: the points, thresholds and quotas (DOMAIN.md's numbers as defaults);
- `facts`: what happened in the month, each fact carrying the evidence it came from;
- `scoring`: parts deducted to zero at most, bonuses, explained lines;
- `grading`: grades, the excellent quotas with their tie rule, the choice of best windows;
- `best_window`: the best window's own five-part score (最佳窗口);
- `flags`: removal flags that look across months;
- `complaints`: the complaint register's states.
"""
