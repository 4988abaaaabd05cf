"""加扣分 pages: the year's rules obeyed on every path, unusual values confirmed, conflicts shown, nothing lost."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from assessment import services
from assessment.models import Adjustment, AdjustmentCategory, AdjustmentRule
from projects.models import Unit
from tests.conftest import make_user

ADOPTED = AdjustmentCategory.INFORMATION_ADOPTED


@pytest.fixture
def period(reference_data):
    AdjustmentRule.objects.create(
        year=reference_data, category=ADOPTED, allowed_values="0.05、0.1", usual_values="0.05", per_month=2
    )
    return services.get_or_create_period(year=2020, month=9)


@pytest.fixture
def unit(reference_data):
    return Unit.objects.get(name="市交通局")


def url(name, period, *args):
    return reverse(name, args=[period.year.year, period.month, *args])


def add(user, period, unit, points, category=ADOPTED, **extra):
    return services.add_adjustment(
        user=user, period=period, unit=unit, points=Decimal(points), reason="信息被采用", category=category, **extra
    )


def test_the_services_refuse_values_outside_the_years_rules_on_every_path(period, unit, office_staff):
    with pytest.raises(ValidationError, match=r"市交通局 加扣分：每项的加扣分应在 -0.500 到 \+0.500 之间"):
        add(office_staff, period, unit, "5", category="other")
    with pytest.raises(ValidationError, match="只能是"):
        add(None, period, unit, "0.075")  # a trusted command obeys the rules too
    with pytest.raises(ValidationError, match="每月最多 2 项"):
        services.replace_adjustments(
            user=office_staff, period=period, unit=unit, items=[("0.05", "甲", ADOPTED)] * 3
        )  # the import path
    assert not Adjustment.objects.exists()


def test_an_unusual_value_is_saved_only_once_confirmed(period, unit, office_staff):
    with pytest.raises(services.NeedsConfirmation):
        add(office_staff, period, unit, "0.1")
    add(office_staff, period, unit, "0.1", confirmed=True)
    assert Adjustment.objects.get().points == Decimal("0.100")


def test_the_form_asks_to_confirm_an_unusual_value_and_saves_it_when_ticked(client, period, unit, office_staff):
    client.force_login(office_staff)
    data = {"unit": unit.pk, "points": "０．１", "category": ADOPTED, "reason": "两条信息被采用"}
    response = client.post(url("entry_adjustment_add", period), data)
    page = response.content.decode()
    assert "+0.100 不是“信息采用”的常见分值（+0.050）" in page
    assert 'name="confirmed" value="+0.100|information_adopted"' in page
    assert not Adjustment.objects.exists()
    # ticking the box for one value does not confirm another one
    client.post(
        url("entry_adjustment_add", period), {**data, "points": "-0.3", "confirmed": "+0.100|information_adopted"}
    )
    assert not Adjustment.objects.exists()
    response = client.post(url("entry_adjustment_add", period), {**data, "confirmed": "+0.100|information_adopted"})
    assert response.status_code == 302
    assert Adjustment.objects.get().points == Decimal("0.100")


def test_an_edit_saved_meanwhile_shows_both_values_and_keeps_mine(client, period, unit, office_staff, office_admin):
    item = add(None, period, unit, "0.05")
    services.update_adjustment(
        user=office_staff,
        adjustment=item,
        points=Decimal("0.1"),
        reason="两条信息被采用",
        category=ADOPTED,
        expected_version=1,
        confirmed=True,
    )
    client.force_login(office_admin)
    mine = {"unit": unit.pk, "points": "0.05", "category": "other", "reason": "信息被采用", "version": 1}
    response = client.post(url("entry_adjustment_edit", period, item.pk), mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "已被office-staff修改，您的修改没有保存" in page
    assert '<td class="score theirs">+0.100</td>' in page and '<td class="score mine">0.05</td>' in page
    assert 'name="version" value="2"' in page  # saving again overwrites, knowingly
    item.refresh_from_db()
    assert (item.points, item.category) == (Decimal("0.100"), ADOPTED)
    assert client.post(url("entry_adjustment_edit", period, item.pk), {**mine, "version": 2}).status_code == 302
    item.refresh_from_db()
    assert item.category == "other"


def test_saving_an_item_deleted_meanwhile_says_so_and_keeps_what_was_typed(client, period, unit, office_admin):
    item = add(None, period, unit, "0.05")
    client.force_login(office_admin)
    services.delete_adjustment(user=None, adjustment=item, reason="重复")
    data = {"unit": unit.pk, "points": "-0.025", "category": "other", "reason": "未按时报送信息", "version": 1}
    response = client.post(url("entry_adjustment_edit", period, item.pk), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "该加扣分已不存在（可能已被他人删除），您的修改没有保存" in page
    assert "未按时报送信息" in page and 'value="-0.025"' in page
    assert f'action="{url("entry_adjustment_add", period)}"' in page
    gone = client.get(url("entry_adjustment_edit", period, item.pk))
    assert gone.status_code == 404 and "该加扣分已不存在（可能已被他人删除）。" in gone.content.decode()
    assert client.post(url("entry_adjustment_delete", period, item.pk), {"reason": "x"}).status_code == 302


def test_deleting_an_item_changed_meanwhile_shows_the_new_value_first(client, period, unit, office_staff, office_admin):
    item = add(None, period, unit, "0.05")
    services.update_adjustment(
        user=office_staff, adjustment=item, points=Decimal("0.05"), reason="新原因", category=ADOPTED
    )
    client.force_login(office_admin)
    response = client.post(url("entry_adjustment_delete", period, item.pk), {"reason": "重复", "version": 1})
    assert response.status_code == 409 and "新原因" in response.content.decode()
    assert Adjustment.objects.filter(pk=item.pk).exists()
    client.post(url("entry_adjustment_delete", period, item.pk), {"reason": "重复", "version": 2})
    assert not Adjustment.objects.filter(pk=item.pk).exists()


def test_the_unit_list_is_grouped_and_the_list_shows_display_names(client, period, unit, reference_data):
    staff = make_user("zhang", Role.OFFICE_STAFF, first_name="张三")
    add(staff, period, unit, "0.05")
    client.force_login(staff)
    form = client.get(url("entry_adjustment_add", period)).content.decode()
    assert '<optgroup label="县区">' in form and '<optgroup label="市直责任单位">' in form
    assert 'data-filter-select="id_unit"' in form
    listing = client.get(url("entry_adjustments", period)).content.decode()
    assert "张三" in listing and "2020年加扣分规则" in listing


def test_the_admin_shows_a_value_outside_the_rules_as_a_form_error(client, period, unit, superuser):
    client.force_login(superuser)
    data = {"period": period.pk, "unit": unit.pk, "points": "5", "category": "other", "reason": "笔误"}
    response = client.post(reverse("admin:assessment_adjustment_add"), data)
    assert response.status_code == 200
    assert "每项的加扣分应在 -0.500 到 +0.500 之间（现为 +5.000）" in response.content.decode()
    assert not Adjustment.objects.exists()
    rule = reverse("admin:assessment_adjustmentrule_changelist")
    assert client.get(rule).status_code == 200


def test_an_import_with_an_item_outside_the_rules_writes_nothing(period, unit, tmp_path, capsys):
    path = tmp_path / "items.csv"
    path.write_text("年度,月份,单位,考评项,分值,说明\n2020,9,市交通局,加扣分,5,笔误\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_scores", str(path))
    assert exit_status.value.code == 1
    assert "每项的加扣分应在 -0.500 到 +0.500 之间（现为 +5.000）" in capsys.readouterr().err
    assert not Adjustment.objects.exists()
