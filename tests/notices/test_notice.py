"""The notice of a month: drafted from the data, edited part by part with its versions, frozen with the
period; its pages per role; the .docx in the official look with 附件1–3; the two commands."""

import io
from datetime import date
from urllib.parse import quote

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from assessment import services as assessment_services
from assessment.models import AuditAction, AuditEntry, Period, PeriodStatus
from notices import exports, services
from notices.models import Notice, NoticeTemplate, NoticeVersion


@pytest.fixture
def draft(september):
    """September 2020 reopened for the notice to be drafted (published in the test data)."""
    return assessment_services.change_period_status(
        user=None, period=september, status=PeriodStatus.OPEN, reason="起草通报"
    )


def test_a_draft_takes_the_years_template_with_the_month_and_the_generated_findings(draft, office_staff):
    notice = services.generate_notice(user=office_staff, period=draft)
    assert notice.title == "关于9月份民生工程月度考评情况的通报"
    assert notice.salutation == "市民生工作领导小组有关成员单位："
    assert notice.opening.startswith("根据《2020年度民生工程月度考评办法》要求")
    assert notice.opening.endswith("完成了9月份月度考评工作。")
    assert notice.findings.startswith("从考评结果看：一是少数项目进展在全省排名靠后。市水利局")
    assert notice.requirements.startswith("针对考评工作中发现的问题，")
    assert {row["ordinal"] for row in notice.sources} == {"一是", "二是", "三是"}
    assert all(row["sources"] for row in notice.sources)
    (version,) = notice.versions.all()
    assert version.kind == NoticeVersion.Kind.GENERATED and version.actor_name == "office-staff"
    entry = AuditEntry.objects.filter(period=draft, action=AuditAction.NOTICE_GENERATED).get()
    assert entry.username == "office-staff" and entry.target_text == "2020年9月通报"


def test_the_template_is_per_year_and_edited_by_the_office(draft, office_staff):
    NoticeTemplate.objects.create(
        year=draft.year,
        opening="按照{year}年度考评办法，完成了{month}月份月度考评工作。",
        requirements="请各单位抓好整改。",
    )
    notice = services.generate_notice(user=office_staff, period=draft)
    assert notice.opening == "按照2020年度考评办法，完成了9月份月度考评工作。"
    assert notice.requirements == "请各单位抓好整改。"


def test_editing_a_part_makes_a_version_with_who_and_what_and_regenerating_keeps_the_edits(draft, office_staff):
    notice = services.generate_notice(user=office_staff, period=draft)
    notice = services.update_notice(
        user=office_staff, period=draft, parts={"requirements": "针对考评工作中发现的问题，请立即整改。"}, version=1
    )
    assert notice.version == 2
    edited = notice.versions.get(number=2)
    assert edited.changed == ["requirements"] and edited.changed_labels == "工作要求"
    notice = services.generate_notice(user=office_staff, period=draft)
    assert notice.requirements == "针对考评工作中发现的问题，请立即整改。" and notice.version == 2  # nothing new
    actions = list(
        AuditEntry.objects.filter(period=draft, action__startswith="notice.").values_list("action", flat=True)
    )
    assert sorted(actions) == [AuditAction.NOTICE_CHANGED, AuditAction.NOTICE_GENERATED]


def test_a_stale_form_is_refused_and_nothing_written(draft, office_staff, office_admin):
    services.generate_notice(user=office_staff, period=draft)
    services.update_notice(user=office_admin, period=draft, parts={"title": "关于9月份考评的通报"}, version=1)
    with pytest.raises(services.NoticeConflict, match="第2版"):
        services.update_notice(user=office_staff, period=draft, parts={"title": "别的标题"}, version=1)
    assert Notice.objects.get(period=draft).title == "关于9月份考评的通报"


def test_bad_parts_are_refused_in_chinese(draft, office_staff):
    services.generate_notice(user=office_staff, period=draft)
    with pytest.raises(ValidationError, match="标题”不能为空"):
        services.update_notice(user=office_staff, period=draft, parts={"title": "  "})
    with pytest.raises(ValidationError, match="最多"):
        services.update_notice(user=office_staff, period=draft, parts={"findings": "字" * 10_001})


def test_only_the_office_writes_the_notice(draft, department_user, viewer):
    for user in (department_user, viewer):
        with pytest.raises(PermissionDenied):
            services.generate_notice(user=user, period=draft)


def test_the_notice_is_frozen_with_the_published_period(september, office_admin):
    with pytest.raises(ValidationError, match="已发布，通报已随之定稿"):
        services.generate_notice(user=office_admin, period=september)
    assert not Notice.objects.exists()


def test_publishing_the_period_freezes_a_draft(draft, office_admin):
    services.generate_notice(user=office_admin, period=draft)
    assessment_services.change_period_status(user=office_admin, period=draft, status=PeriodStatus.CLOSED)
    period = assessment_services.change_period_status(user=office_admin, period=draft, status=PeriodStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="不能修改"):
        services.update_notice(user=office_admin, period=period, parts={"title": "新标题"})


# ---------------------------------------------------------------- pages


def url(name, period, **extra):
    return reverse(name, kwargs={"year": period.year.year, "month": period.month, **extra})


def test_the_office_generates_edits_and_reads_the_versions_in_the_browser(client, draft, office_staff):
    client.force_login(office_staff)
    page = client.get(url("notice", draft))
    assert page.status_code == 200 and "根据考评结果生成通报" in page.content.decode()
    assert client.post(url("notice_generate", draft)).status_code == 302
    page = client.get(url("notice", draft)).content.decode()
    assert "市水利局承担的" in page and "版本记录" in page and "未写入通报的扣分" in page
    form = client.get(url("notice_edit", draft))
    assert form.status_code == 200
    data = {**form.context["form"].initial, "title": "关于2020年9月份民生工程月度考评情况的通报"}
    assert client.post(url("notice_edit", draft), data).status_code == 302
    stale = client.post(url("notice_edit", draft), {**data, "title": "旧表单"})
    assert stale.status_code == 409
    diff = client.get(url("notice_version", draft, number=2)).content.decode()
    assert "<ins>2020年</ins>" in diff and "标题" in diff
    assert client.get(url("notice_version", draft, number=9)).status_code == 404


def test_a_draft_is_hidden_from_the_other_roles_and_the_published_notice_is_read_only(
    client, draft, office_staff, viewer, department_user
):
    services.generate_notice(user=office_staff, period=draft)
    for user in (viewer, department_user):
        client.force_login(user)
        assert client.get(url("notice", draft)).status_code == 404
    assessment_services.change_period_status(user=None, period=draft, status=PeriodStatus.CLOSED)
    period = assessment_services.change_period_status(user=None, period=draft, status=PeriodStatus.PUBLISHED)
    client.force_login(viewer)
    page = client.get(url("notice", period)).content.decode()
    assert "市水利局承担的" in page and "修改通报" not in page
    assert client.get(url("notice_edit", period)).status_code == 403
    client.force_login(office_staff)
    assert client.get(url("notice_edit", period)).status_code == 302  # back to the page: frozen


def test_the_word_file_downloads(client, september, viewer):
    client.force_login(viewer)
    response = client.get(url("notice_docx", september))
    assert response.status_code == 200
    assert quote("2020年9月份民生工程月度考评情况通报.docx") in response["Content-Disposition"]
    docx.Document(io.BytesIO(b"".join(response.streaming_content)))


# ---------------------------------------------------------------- the .docx


def east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_docx_is_the_official_notice_with_its_three_attachments(september):
    result = docx.Document(io.BytesIO(exports.notice_docx(september)))
    texts = [paragraph.text for paragraph in result.paragraphs if paragraph.text]
    assert texts[0] == "关于9月份民生工程月度考评情况的通报"
    assert texts[1] == "市民生工作领导小组有关成员单位："
    assert texts[2].endswith("完成了9月份月度考评工作。")
    assert texts[3].startswith("从考评结果看：一是少数项目进展在全省排名靠后。")
    assert texts[4].startswith("针对考评工作中发现的问题，")
    assert texts[5:8] == [
        "附件：1、9月份民生工程排名情况汇总表",
        "2、9月份民生工程项目县(区)得分情况统计表",  # the table's own title
        "3、9月份民生工程市直部门得分情况统计表",
    ]
    assert texts[8:10] == ["市民生办", "2020年10月16日"]
    title, body = result.paragraphs[0], result.paragraphs[2]
    assert east_asian_font(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.name == "宋体"
    assert title.runs[0].font.size.pt == 22
    assert east_asian_font(body.runs[0]) == "仿宋" and body.runs[0].font.size.pt == 16
    assert round(body.paragraph_format.line_spacing.pt, 1) == round(Mm(297 - 37 - 35).pt / 28, 1)  # 28 lines
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters of 3号
    notice, first, second, third = result.sections
    assert (round(notice.page_width.mm), round(notice.page_height.mm)) == (210, 297)
    assert notice.orientation == WD_ORIENT.PORTRAIT and first.orientation == WD_ORIENT.PORTRAIT
    assert second.orientation == WD_ORIENT.LANDSCAPE and round(second.page_width.mm) == 297
    assert third.orientation in (WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE)
    assert "PAGE" in notice.footer.paragraphs[0]._element.xml and notice.footer.paragraphs[0].text == "—  —"
    assert len(result.tables) == 3
    ranking, regions, departments = result.tables
    cells = [cell.text for row in ranking.rows for cell in row.cells]
    assert "义安区" in cells and "1.498" in cells and "市水利局" in cells
    assert [cell.text for cell in regions.rows[0].cells][:2] == ["项目", "责任部门"]
    assert any("水利薄弱环节治理" in cell.text for row in departments.rows for cell in row.cells)
    labels = [paragraph.text for paragraph in result.paragraphs if paragraph.text in ("附件1", "附件2", "附件3")]
    assert labels == ["附件1", "附件2", "附件3"]


def test_fonts_come_from_settings(september, settings):
    settings.NOTICE_DOCUMENT_LOOK = {"title_font": "华文中宋", "body_font": "楷体"}
    result = docx.Document(io.BytesIO(exports.notice_docx(september)))
    assert east_asian_font(result.paragraphs[0].runs[0]) == "华文中宋"
    assert east_asian_font(result.paragraphs[2].runs[0]) == "楷体"


def test_the_saved_draft_is_what_the_docx_prints(draft, office_staff):
    services.generate_notice(user=office_staff, period=draft)
    services.update_notice(user=office_staff, period=draft, parts={"title": "关于九月考评的通报"})
    result = docx.Document(io.BytesIO(exports.notice_docx(Period.objects.get(pk=draft.pk))))
    assert result.paragraphs[0].text == "关于九月考评的通报"


# ---------------------------------------------------------------- commands


def test_draft_notice_writes_the_docx(september, tmp_path, capsys):
    target = tmp_path / "通报.docx"
    call_command("draft_notice", "--year", "2020", "--month", "9", "--output", str(target))
    assert "已生成2020年9月通报" in capsys.readouterr().out
    assert len(docx.Document(str(target)).tables) == 3


def test_draft_notice_of_a_month_that_does_not_exist_exits_1(september, tmp_path):
    with pytest.raises(CommandError, match="没有2020年11月的考评月份") as error:
        call_command("draft_notice", "--year", "2020", "--month", "11", "--output", str(tmp_path / "x.docx"))
    assert error.value.returncode == 1


def test_set_period_status_reopens_with_a_reason_and_is_audited_as_the_command(september, capsys):
    with pytest.raises(CommandError, match="必须填写原因"):
        call_command("set_period_status", "--year", "2020", "--month", "9", "--status", "open")
    call_command("set_period_status", "--year", "2020", "--month", "9", "--status", "open", "--reason", "补录")
    assert "已发布 → 录入中" in capsys.readouterr().out
    entry = AuditEntry.objects.filter(period=september, action=AuditAction.PERIOD_REOPENED).get()
    assert entry.actor_name == "命令 set_period_status" and entry.reason == "补录"
    assert entry.username == "command:set_period_status"


def test_set_period_status_closes_publishes_and_dates(september):
    call_command("set_period_status", "--year", "2020", "--month", "9", "--status", "open", "--reason", "补录")
    with pytest.raises(CommandError, match="不能从“录入中”变为“已发布”"):
        call_command("set_period_status", "--year", "2020", "--month", "9", "--status", "published")
    call_command("set_period_status", "--year", "2020", "--month", "9", "--status", "closed")
    call_command(
        "set_period_status", "--year", "2020", "--month", "9", "--status", "published", "--notice-date", "2020-10-18"
    )
    period = Period.objects.get(pk=september.pk)
    assert period.is_published and period.notice_date == date(2020, 10, 18)
    dated = AuditEntry.objects.filter(period=period, action=AuditAction.PERIOD_NOTICE_DATE).get()
    assert dated.actor_name == "命令 set_period_status"


def test_a_refused_status_change_leaves_the_notice_date_alone(september):
    call_command("set_period_status", "--year", "2020", "--month", "9", "--status", "open", "--reason", "补录")
    with pytest.raises(CommandError):
        call_command(
            "set_period_status",
            "--year",
            "2020",
            "--month",
            "9",
            "--status",
            "published",
            "--notice-date",
            "2020-10-20",
        )
    assert Period.objects.get(pk=september.pk).notice_date != date(2020, 10, 20)


def test_set_period_status_refuses_a_bad_date_and_an_unknown_month(september):
    with pytest.raises(CommandError, match="通报日期“2020-13-01”无效"):
        call_command(
            "set_period_status", "--year", "2020", "--month", "9", "--status", "closed", "--notice-date", "2020-13-01"
        )
    with pytest.raises(CommandError, match="没有2020年12月的考评月份"):
        call_command("set_period_status", "--year", "2020", "--month", "12", "--status", "closed")


def test_the_pdf_without_libreoffice_is_a_clear_503(client, september, viewer, settings):
    settings.SOFFICE_BINARY = "/nonexistent/soffice"
    client.force_login(viewer)
    response = client.get(url("notice_docx", september) + "?format=pdf")
    assert response.status_code == 503 and "LibreOffice" in response.content.decode()
    assert "下载 PDF" not in client.get(url("notice", september)).content.decode()


def test_the_notice_page_does_not_grow_with_the_data(client, draft, office_staff):
    from decimal import Decimal

    from assessment.models import Adjustment, AdjustmentCategory
    from projects.models import Unit
    from tests.queries import query_count

    services.generate_notice(user=office_staff, period=draft)
    client.force_login(office_staff)
    before = query_count(client, url("notice", draft))
    for unit in Unit.objects.all()[:10]:
        Adjustment.objects.create(
            period=draft,
            unit=unit,
            points=Decimal("-0.05"),
            reason="未按时报送信息",
            category=AdjustmentCategory.INFORMATION_REPORTING,
        )
    services.generate_notice(user=office_staff, period=draft)
    services.update_notice(user=office_staff, period=draft, parts={"title": "关于九月的通报"})
    assert query_count(client, url("notice", draft)) == before
