"""The audit log: who changed which official number, when, from what to what, and why.

Entries are written in the transaction of the change and never edited or deleted: `save()` refuses
an update, and the queryset refuses `update()` and `delete()`. The kind of change is an action code
(`score.changed`); what the log shows is derived from the code and the targets.
"""

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from projects.models import Indicator, Project, Unit

from .periods import Period


class AuditSubject(models.TextChoices):
    """What an entry is about: the part of an action code before the dot."""

    PERIOD = "period", "考评月份"
    SCORE = "score", "项目得分"
    INDICATOR = "indicator", "指标得分"
    ADJUSTMENT = "adjustment", "加扣分"
    OVERRIDE = "override", "月度得分"
    REFERENCE = "reference", "基础数据"
    NOTICE = "notice", "通报"
    FINDING = "finding", "整改事项"
    SLIP = "slip", "工作提示单"
    TARGET = "target", "目标任务"
    PROGRESS = "progress", "项目进度"
    INFORMATION = "information", "信息报送"
    PROPOSAL = "proposal", "加扣分建议"


class AuditAction(models.TextChoices):
    PERIOD_CREATED = "period.created", "新建月份"
    PERIOD_CLOSED = "period.closed", "结束录入"
    PERIOD_RETURNED = "period.returned", "退回录入"
    PERIOD_PUBLISHED = "period.published", "发布"
    PERIOD_REOPENED = "period.reopened", "重新开放"
    PERIOD_NOTICE_DATE = "period.notice_date", "设定通报日期"
    SCORE_CREATED = "score.created", "录入项目得分"
    SCORE_CHANGED = "score.changed", "修改项目得分"
    SCORE_DELETED = "score.deleted", "删除项目得分"
    INDICATOR_CREATED = "indicator.created", "录入指标得分"
    INDICATOR_CHANGED = "indicator.changed", "修改指标得分"
    INDICATOR_DELETED = "indicator.deleted", "删除指标得分"
    ADJUSTMENT_CREATED = "adjustment.created", "新增加扣分"
    ADJUSTMENT_CHANGED = "adjustment.changed", "修改加扣分"
    ADJUSTMENT_DELETED = "adjustment.deleted", "删除加扣分"
    OVERRIDE_CREATED = "override.created", "录入月度得分"
    OVERRIDE_CHANGED = "override.changed", "修改月度得分"
    OVERRIDE_DELETED = "override.deleted", "删除月度得分"
    REFERENCE_CREATED = "reference.created", "新增基础数据"
    REFERENCE_CHANGED = "reference.changed", "修改基础数据"
    REFERENCE_DELETED = "reference.deleted", "删除基础数据"
    REFERENCE_LOADED = "reference.loaded", "加载基础数据"
    NOTICE_GENERATED = "notice.generated", "生成通报"
    NOTICE_CHANGED = "notice.changed", "修改通报"
    # The rectification ledger (ledger/): `record_id` is the finding's or the slip's id.
    FINDING_CREATED = "finding.created", "生成整改事项"
    FINDING_CHANGED = "finding.changed", "更新整改事项"
    FINDING_WITHDRAWN = "finding.withdrawn", "撤销整改事项"
    FINDING_REPORTED = "finding.reported", "报送整改情况"
    FINDING_RECTIFIED = "finding.rectified", "已整改（申请销号）"
    FINDING_CLOSED = "finding.closed", "销号"
    FINDING_RETURNED = "finding.returned", "退回整改"
    SLIP_ISSUED = "slip.issued", "印发工作提示单"
    SLIP_CHANGED = "slip.changed", "补充工作提示单"
    TARGET_CREATED = "target.created", "录入目标任务"
    TARGET_CHANGED = "target.changed", "修改目标任务"
    PROGRESS_CREATED = "progress.created", "录入项目进度"
    PROGRESS_CHANGED = "progress.changed", "修改项目进度"
    INFORMATION_CREATED = "information.created", "录入信息报送"
    INFORMATION_CHANGED = "information.changed", "修改信息报送"
    PROPOSAL_ACCEPTED = "proposal.accepted", "采纳加扣分建议"
    PROPOSAL_REJECTED = "proposal.rejected", "驳回加扣分建议"

    @classmethod
    def of(cls, subject: str, verb: str) -> "AuditAction":
        """AuditAction.of('score', 'changed') → SCORE_CHANGED."""
        return cls(f"{subject}.{verb}")

    @property
    def subject(self) -> AuditSubject:
        return AuditSubject(self.value.split(".")[0])


class ImmutableAuditError(Exception):
    """The audit log is append-only."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableAuditError("变更记录不能修改。")

    def delete(self):
        raise ImmutableAuditError("变更记录不能删除。")

    def append(self, entries) -> None:
        """Insert new entries (objects with the fields' attribute names, e.g. services' PendingAudit) in
        one statement per thousand rows, without the ORM's per-value work (an import audits thousands of
        changes): the values are plain strings, ids and one timestamp."""
        if not entries:
            return
        now = timezone.now()
        fields = [field for field in self.model._meta.concrete_fields if not field.primary_key]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        created = self.model._meta.get_field("created_at").get_db_prep_save(now, connection)
        names = [field.attname for field in fields]
        rows = []
        for entry in entries:
            rows.append(tuple(created if name == "created_at" else getattr(entry, name) for name in names))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                from psycopg2.extras import execute_values

                execute_values(cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows, page_size=1000)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)

    def purge_demo_data(self):
        """Only for deleting a development database's demo year (load_demo --reset refuses without DEBUG=1)."""
        return super().delete()


class AuditEntry(models.Model):
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    username = models.CharField("操作人账号", max_length=150, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    period = models.ForeignKey(
        Period, models.PROTECT, null=True, blank=True, related_name="audit_entries", verbose_name="考评月份"
    )
    action = models.CharField("操作", max_length=40, choices=AuditAction.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位")
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="项目")
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="指标"
    )
    old_value = models.TextField("原值", blank=True)
    new_value = models.TextField("新值", blank=True)
    reason = models.TextField("原因", blank=True)
    # The subject's own record where the targets above do not name it (a finding, a reminder slip).
    record_id = models.PositiveBigIntegerField("记录编号", null=True, blank=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        indexes = [
            models.Index(fields=["period", "unit", "project"]),
            models.Index(fields=["period", "-created_at"]),
            models.Index(fields=["period", "action"]),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.target_text}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableAuditError("变更记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableAuditError("变更记录不能删除。")

    @property
    def subject(self) -> AuditSubject:
        return AuditAction(self.action).subject

    @property
    def target_text(self) -> str:
        """What the entry is about, from its targets: '义安区 · 4、“四好农村路”建设'."""
        subject = self.subject
        if subject == AuditSubject.PERIOD:
            return str(self.period) if self.period_id else ""
        if subject == AuditSubject.REFERENCE:  # no foreign keys: a reference object stays deletable
            return (self.new_value or self.old_value).split(" · ")[0]
        if subject == AuditSubject.NOTICE:
            return f"{self.period}通报" if self.period_id else ""
        unit = self.unit.name if self.unit_id else ""
        if subject == AuditSubject.SCORE and self.project_id:
            return f"{unit} · {self.project}"
        if subject == AuditSubject.INDICATOR and self.indicator_id:
            return f"{unit} · {self.indicator.name}"
        if subject in (AuditSubject.TARGET, AuditSubject.PROGRESS) and self.project_id:
            return f"{unit} · {self.project} · {subject.label}"
        return f"{unit} · {subject.label}"
