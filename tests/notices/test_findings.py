"""The "从考评结果看：" findings: the pure module (rules, grouping, wording, the lagging hook) and, with
the September 2020 data, the seed notice's facts sentence by sentence."""

from decimal import Decimal

import pytest

from notices import findings, selectors, wording
from notices.findings import DEPARTMENT, REGION, Item, Lagging, Rule
from notices.models import FindingRule
from projects.models import Progress, Project, Target, Unit

D = Decimal

RULES = [
    Rule(group=wording.RANKING, priority=10, keywords=("全省排名", "全省倒数")),
    Rule(group=wording.MANAGEMENT, priority=20, keywords=("审核不严", "未按时报送", "未按时公示")),
    Rule(group=wording.MANAGEMENT, priority=30, sources=(findings.SOURCE_ADJUSTMENT,), categories=("publicity",)),
    Rule(group=wording.PROGRESS, priority=40, keywords=("进度", "进展", "滞后", "缓慢")),
]


def item(id, unit, reason, points="-0.05", kind=DEPARTMENT, **extra):
    source = extra.pop("source", findings.SOURCE_INDICATOR)
    return Item(id=id, source=source, unit=unit, unit_kind=kind, reason=reason, points=D(points), **extra)


def test_the_first_rule_by_priority_decides_and_a_review_problem_beats_progress():
    reviewed = item("i1", "市交通局", "上报进展时审核不严")
    assert findings.classify(reviewed, RULES) == wording.MANAGEMENT
    assert findings.classify(item("i2", "市交通局", "“四好农村路”建设未达计划进度"), RULES) == wording.PROGRESS
    assert findings.classify(item("i3", "市水利局", "整体进展滞后影响我市在全省排名"), RULES) == wording.RANKING
    assert findings.classify(item("i4", "市住建局", "数据库上报不符合要求"), RULES) is None


def test_a_category_rule_needs_its_source_and_category():
    publicity = item(
        "a1", "市退役军人局", "项目信息更新不及时", source=findings.SOURCE_ADJUSTMENT, category="publicity"
    )
    assert findings.classify(publicity, RULES) == wording.MANAGEMENT
    assert findings.classify(item("i1", "市退役军人局", "项目信息更新不及时", category="publicity"), RULES) is None


def test_bonuses_are_not_findings_and_unmatched_deductions_are_listed_apart():
    result = findings.generate(
        month=9,
        items=[
            item("a1", "市委组织部", "信息被省民生工程网站采用", points="0.05", source=findings.SOURCE_ADJUSTMENT),
            item("i1", "市住建局", "数据库上报不符合要求"),
        ],
        rules=RULES,
    )
    assert result.groups == [] and result.text == wording.NO_FINDINGS
    assert [entry.id for entry in result.unplaced] == ["i1"]


def test_groups_are_numbered_in_order_skipping_empty_ones():
    result = findings.generate(month=9, items=[item("i1", "市数据资源局", "未按时报送信息")], rules=RULES)
    assert result.text == "从考评结果看：一是存在项目基础管理等问题。如市数据资源局未按时报送信息等。"


def test_progress_departments_then_regions_each_region_once_with_distinct_reasons():
    items = [
        item("i1", "市交通局", "9月份督查发现“四好农村路”建设未达计划进度", order=(1,)),
        item("p1", "枞阳县", "农村改厕、美丽乡村建设进度慢", kind=REGION, project="农村改厕", order=(3, 1)),
        item("p2", "枞阳县", "农村改厕、美丽乡村建设进度慢", kind=REGION, project="美丽乡村", order=(3, 2)),
        item("p3", "枞阳县", "枞阳县新学期普高学生资助工作进展较慢", kind=REGION, project="资助", order=(3, 3)),
        item("p4", "铜官区", "公益性岗位开发进度慢", kind=REGION, project="岗位", order=(2, 1)),
    ]
    group = findings.generate(month=9, items=items, rules=RULES).group(wording.PROGRESS)
    assert group.text == (
        "一是个别项目进展缓慢，9月份督查发现市交通局承担的“四好农村路”建设未达计划进度；"
        "铜官区公益性岗位开发进度慢等；枞阳县农村改厕、美丽乡村建设进度慢，新学期普高学生资助工作进展较慢等。"
    )
    assert [phrase.sources for phrase in group.phrases] == [("i1",), ("p4",), ("p1", "p2", "p3")]


def test_the_lagging_hook_adds_projects_behind_schedule_to_the_progress_group():
    lagging = [
        Lagging(id="progress:1", project="县级养老服务指导中心建设", unit="枞阳县", order=(3, 9)),
        Lagging(id="progress:2", project="农村改厕", unit="枞阳县", order=(3, 1)),  # already a deduction
    ]
    items = [item("p1", "枞阳县", "农村改厕进度慢", kind=REGION, project="农村改厕", order=(3, 1))]
    group = findings.generate(month=9, items=items, rules=RULES, lagging=lagging).group(wording.PROGRESS)
    assert group.phrases[0].text == "枞阳县农村改厕进度慢，县级养老服务指导中心建设进展滞后等"
    assert set(group.phrases[0].sources) == {"p1", "progress:1", "progress:2"}


def test_a_region_score_naming_the_provincial_ranking_is_told_under_the_projects_department():
    items = [
        item("p1", "郊区", "中小河流治理完工率全省排名靠后", kind=REGION, project="水利", department="市水利局"),
    ]
    group = findings.generate(month=9, items=items, rules=RULES).group(wording.RANKING)
    assert group.phrases[0].text == "市水利局承担的郊区中小河流治理完工率全省排名靠后"


# ---------------------------------------------------------------- September 2020


@pytest.fixture
def september_findings(september):
    return selectors.month_findings(september)


def phrases(result, key):
    return [phrase.text for phrase in result.group(key).phrases]


def test_the_default_rules_are_data_the_office_edits(db):
    groups = list(FindingRule.objects.values_list("group", flat=True))
    assert set(groups) == {wording.RANKING, wording.PROGRESS, wording.MANAGEMENT}


def test_september_one_shi_the_provincial_ranking_of_the_water_bureau(september_findings):
    group = september_findings.groups[0]
    assert group.key == wording.RANKING and group.ordinal == "一是"
    assert group.text.startswith("一是少数项目进展在全省排名靠后。市水利局承担的")
    (water,) = phrases(september_findings, wording.RANKING)
    assert water.startswith("市水利局承担的中小河流治理续建项目完工率和续建项目投资完成率在全省排名靠后")
    assert "排涝泵站建设续建项目投资完成率位于全省倒数第三" in water
    assert "水利薄弱环节治理项目整体进展滞后影响我市在全省排名" in water
    # traceable: the indicator score and the 加扣分 item it came from
    assert sorted(source.split(":")[0] for source in group.phrases[0].sources) == ["adjustment", "indicator"]


def test_september_er_shi_departments_behind_schedule(september_findings):
    group = september_findings.groups[1]
    assert group.key == wording.PROGRESS and group.text.startswith("二是个别项目进展缓慢，9月份督查发现")
    texts = phrases(september_findings, wording.PROGRESS)
    assert "市交通局承担的“四好农村路”建设未达计划进度" in texts
    assert "市农业农村局承担的美丽乡村建设和农村改厕及废弃物资源化项目进展缓慢" in texts
    assert "市数据资源局承担的“安康码”平台建设进展未达计划进度" in texts
    # the departments are joined by '、', then come the regions
    assert "市交通局承担的“四好农村路”建设未达计划进度、" in group.text or group.text.endswith(
        "市交通局承担的“四好农村路”建设未达计划进度；"
    )


def test_september_er_shi_regions_behind_schedule(september_findings):
    texts = phrases(september_findings, wording.PROGRESS)
    zongyang = next(text for text in texts if text.startswith("枞阳县"))
    assert zongyang == (
        "枞阳县农村改厕、美丽乡村建设进度慢，县级养老服务指导中心建设推进缓慢，"
        "新学期普高学生资助工作进展较慢，农村体育健身活动进展未达全市平均进度等"
    )
    assert "铜官区未完成法律援助案例上报任务，公益性岗位开发进度慢等" in texts
    assert "郊区未完成就业见习岗位开发任务，城乡居民基本养老保险进展不及预期等" in texts
    assert "经开区棚户区改造项目进度慢等" in texts
    # a funds problem is not a progress finding
    assert not any("资金使用问题" in text for text in texts)
    group = september_findings.group(wording.PROGRESS)
    source = next(phrase for phrase in group.phrases if phrase.text.startswith("枞阳县")).sources
    assert len(source) == 5 and all(entry.startswith("project:") for entry in source)


def test_september_san_shi_management_problems(september_findings):
    group = september_findings.groups[2]
    assert group.key == wording.MANAGEMENT and group.text.startswith("三是存在项目基础管理等问题。如")
    texts = phrases(september_findings, wording.MANAGEMENT)
    late = next(text for text in texts if text.endswith("未按时报送信息"))
    assert set(late.removesuffix("未按时报送信息").split("、")) == {"市数据资源局", "市城管执法局"}
    assert "市退役军人局未按时公示民生工程进展" in texts
    assert any(text.startswith("市交通局上报进展时审核不严") for text in texts)
    assert group.text.endswith("等。")
    # 审核不严 is a management problem, not a progress one, though its reason names 进展
    assert not any("审核不严" in text for text in phrases(september_findings, wording.PROGRESS))


def test_september_text_and_what_it_leaves_out(september_findings):
    text = september_findings.text
    assert text.startswith("从考评结果看：一是") and "二是" in text and "三是" in text
    left_out = {entry.reason for entry in september_findings.unplaced}
    assert "部分项目点未使用民生工程标识牌" in left_out and "数据库上报不符合要求" in left_out


def test_editing_a_rule_moves_a_finding(september):
    FindingRule.objects.create(group=wording.MANAGEMENT, priority=1, keywords="标识牌")
    result = selectors.month_findings(september)
    assert any("未使用民生工程标识牌" in text for text in phrases(result, wording.MANAGEMENT))


def test_the_findings_cost_a_fixed_number_of_queries(september, django_assert_num_queries):
    with django_assert_num_queries(8):  # 4 for the deductions and rules, 4 for the progress data
        selectors.month_findings(september)


def test_a_project_lagging_in_the_progress_data_joins_er_shi(september):
    project = Project.objects.get(year=september.year, code="4")
    target = Target.objects.create(project=project, unit=Unit.objects.get(name="郊区"), quantity=100, budget=10)
    Progress.objects.create(target=target, month=9, completed=10, paid=1)  # 10 % done against 9/11 due
    texts = phrases(selectors.month_findings(september), wording.PROGRESS)
    assert any(text.startswith("郊区") and f"{project.name}进展滞后" in text for text in texts), texts
    Progress.objects.filter(target=target).update(completed=100)
    assert not any(
        "郊区" in text and "进展滞后" in text for text in phrases(selectors.month_findings(september), wording.PROGRESS)
    )
