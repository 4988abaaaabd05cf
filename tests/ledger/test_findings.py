"""Findings from a published month: September 2020 (fixture `september`) and the sync's idempotence."""

from decimal import Decimal

from assessment import services
from assessment.models import AuditEntry, PeriodStatus
from ledger.models import Finding, FindingSource, FindingStatus
from ledger.services import sync_findings
from projects.models import Project, Unit

D = Decimal


def by_unit(period):
    found = {}
    for finding in Finding.objects.filter(period=period).select_related("unit", "found_by", "project", "indicator"):
        found.setdefault(finding.unit.name, []).append(finding)
    return found


def test_september_publication_created_the_findings(september):
    found = by_unit(september)
    water = found["市水利局"]
    assert sorted((f.get_source_display(), f.points) for f in water) == [
        ("加扣分", D("-0.100")),
        ("指标得分", D("-0.150")),
    ]
    item = next(f for f in water if f.source == FindingSource.ADJUSTMENT)
    assert item.reason == "水利薄弱环节治理项目整体进展滞后影响我市在全省排名"
    assert item.found_by is None  # the office
    traffic = found["市交通局"]
    assert sorted(f.reason for f in traffic) == [
        "9月份督查发现“四好农村路”建设未达计划进度",
        "上报进展时审核不严，造成枞阳县“四好农村路”部分数据错误",
    ]
    assert {f.indicator.name for f in traffic} == {"项目进展", "工作推进情况"}
    assert all(f.project is None and f.source == FindingSource.INDICATOR_SCORE for f in traffic)
    # 枞阳县's project scores: owed by the region, found by each project's responsible department
    zongyang = [f for f in found["枞阳县"] if f.source == FindingSource.PROJECT_SCORE]
    assert len(zongyang) == 7
    toilets = next(f for f in zongyang if f.project.code == "12-1")
    assert toilets.points == D("-0.025") and toilets.reason == "农村改厕、美丽乡村建设进度慢"
    assert toilets.found_by == toilets.project.responsible_department
    # bonuses and full marks are not findings
    assert "市委组织部" not in found
    assert not Finding.objects.filter(period=september, points__gte=0).exists()
    assert [f.reason for f in found["市城管执法局"]] == ["未按时报送信息"]
    assert [f.reason for f in found["市退役军人局"]] == ["未按时公示民生工程进展"]
    assert all(f.status == FindingStatus.PENDING and not f.repeated for fs in found.values() for f in fs)
    # 5 regions: 1 + 2 + 7 + 3 + 1 project scores, 4 signboard/report items; departments: 8 indicators, 4 items
    assert Finding.objects.filter(period=september).count() == 14 + 4 + 8 + 4


def test_each_finding_is_audited_with_its_id(september):
    finding = Finding.objects.filter(period=september, unit__name="经开区", source=FindingSource.PROJECT_SCORE).get()
    entry = AuditEntry.objects.get(record_id=finding.pk, action="finding.created")
    assert (
        entry.period_id == september.pk and entry.unit_id == finding.unit_id and entry.project_id == finding.project_id
    )
    assert entry.new_value == "-0.600 棚户区改造项目进度慢"
    assert entry.actor_name == "系统"


def test_sync_is_idempotent(september):
    before = Finding.objects.filter(period=september).count()
    result = sync_findings(period=september)
    assert not (result.created or result.changed or result.withdrawn)
    assert Finding.objects.filter(period=september).count() == before


def test_republishing_updates_and_withdraws(september, office_admin):
    period = services.change_period_status(user=office_admin, period=september, status=PeriodStatus.OPEN, reason="更正")
    item = period.adjustments.get(unit__name="郊区")
    services.update_adjustment(
        user=None,
        adjustment=item,
        points=item.points,
        reason="部分项目点未按要求使用民生工程标识牌",
        category=item.category,
    )
    region, project = Unit.objects.get(name="义安区"), Project.objects.get(year=period.year, code="16")
    services.save_project_scores(
        user=None, period=period, items=[services.ProjectScoreInput(region, project, D("1.5"))]
    )
    services.change_period_status(user=office_admin, period=period, status=PeriodStatus.CLOSED)
    services.change_period_status(user=office_admin, period=period, status=PeriodStatus.PUBLISHED)
    changed = Finding.objects.get(period=period, key=f"adjustment:{item.pk}")
    assert changed.reason == "部分项目点未按要求使用民生工程标识牌" and not changed.withdrawn
    entry = AuditEntry.objects.get(record_id=changed.pk, action="finding.changed")
    assert entry.old_value == "-0.050 部分项目点未使用民生工程标识牌"
    assert entry.actor_name == "office-admin"
    withdrawn = Finding.objects.get(period=period, unit=region, project=project)
    assert withdrawn.withdrawn
    assert AuditEntry.objects.filter(record_id=withdrawn.pk, action="finding.withdrawn").exists()
