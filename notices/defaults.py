"""The default rules deciding which group (一是/二是/三是) a deduction goes to, as the Tongling notice of
September 2020 groups them. A new database gets them from a data migration; the office edits them in the
admin (问题归类规则)."""

DEFAULT_RULES = [
    # (priority, group, source, category, keywords)
    (10, "ranking", "", "", "全省排名、全省倒数、在全省排名"),
    (20, "management", "", "", "审核不严、未按时报送、未及时报送、未按时公示、未及时公示、公示公开"),
    (30, "management", "加扣分", "information_reporting", ""),
    (31, "management", "加扣分", "publicity", ""),
    (40, "progress", "", "", "进度、进展、滞后、缓慢、较慢、未完成、不及预期"),
]


def install_default_rules(finding_rule_model) -> None:
    """Create the default rules unless the office already has rules (the model is passed in so that the
    data migration can use its historical model)."""
    if finding_rule_model.objects.exists():
        return
    finding_rule_model.objects.bulk_create(
        finding_rule_model(priority=priority, group=group, source=source, category=category, keywords=keywords)
        for priority, group, source, category, keywords in DEFAULT_RULES
    )
