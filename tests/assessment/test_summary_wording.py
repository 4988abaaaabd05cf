"""The 小结's sentences, worded once (assessment/summary_wording.py), against the seed's figures."""

import io
from decimal import Decimal

import docx
from docx.oxml.ns import qn

from assessment import summary_wording as wording
from assessment.exports.summary_docx import summary_docx

D = Decimal

SEED = wording.SummaryFigures(
    year=2021,
    month=6,
    office_name="南陵县民生办",
    projects=30,
    budget=D("104892.00"),
    paid=D("66900.00"),
    paid_rate=D("63.78"),
    completed_names=["困难残疾人康复", "城乡居民基本养老保险"],
    construction_projects=8,
    lagging_names=[],
    beneficiaries=636800,
    subsidy_paid=D("41000.00"),
    subsidy_projects=12,
    reported=513,
    city_adopted=248,
    province_adopted=60,
    adoption_rate=D("48.34"),
)


def test_the_seed_sentences():
    assert wording.title(SEED) == "南陵县2021年1-6月份民生工作小结"
    assert wording.funds_sentence(SEED) == "截止6月底，南陵县30项民生工程共计拨付资金6.69亿元，占年度预算的63.78%。"
    assert wording.completed_sentence(SEED) == (
        "截止6月底，南陵县30项民生工程任务中困难残疾人康复，城乡居民基本养老保险均已完成全年目标任务。"
    )
    assert wording.subsidy_sentence(SEED) == "1-6月，全县保障各类补助人员63.68万人次，发放补助资金4.1亿元。"
    assert wording.information_sentence(SEED) == (
        "1-6月份，我县共报送民生工程信息513条。其中，市民生网采用信息248条，采用率48.34%，省民生网采用信息60条。"
    )


def test_amounts_round_half_up():
    assert wording.yi_text(D("66950.00")) == "6.70"  # 6.695 → 6.70, never banker's 6.69… of a float
    assert wording.yi_text(D("66949.99")) == "6.69"
    assert wording.wan_people_text(636850) == "63.69"
    assert wording.short_yi_text(D("41000.00")) == "4.1"
    assert wording.percent_text(D("48.345")) == "48.35%"
    assert wording.percent_text(None) == "—"


def test_places_come_from_the_office_name():
    assert wording.place_name("南陵县民生办") == "南陵县"
    assert wording.place_name("市民生办") == "全市"
    assert wording.place_name("铜陵市民生工作领导小组办公室") == "铜陵市"
    assert wording.level("市民生办") == "市"
    city = wording.SummaryFigures(**{**SEED.__dict__, "office_name": "铜陵市民生办", "month": 1})
    assert wording.subsidy_sentence(city).startswith("1月，全市保障")
    assert wording.information_sentence(city).startswith("1月份，我市共报送")
    assert wording.title(city) == "铜陵市2021年1月份民生工作小结"


def test_no_project_or_one_project_completed():
    none = wording.SummaryFigures(**{**SEED.__dict__, "completed_names": []})
    assert wording.completed_sentence(none).endswith("任务中尚无已完成全年目标任务的项目。")
    one = wording.SummaryFigures(**{**SEED.__dict__, "completed_names": ["文化惠民工程"]})
    assert wording.completed_sentence(one).endswith("任务中文化惠民工程已完成全年目标任务。")


def test_lagging_construction_projects_are_named():
    lagging = wording.SummaryFigures(**{**SEED.__dict__, "lagging_names": ["农村危房改造", "四好农村路"]})
    expected = "1-6月，工程类项目8项，其中农村危房改造，四好农村路共2项滞后于序时进度。"
    assert wording.construction_sentence(lagging) == expected
    assert wording.construction_sentence(SEED) == "1-6月，工程类项目8项，均按序时进度推进。"


def test_without_budget_or_reports():
    empty = wording.SummaryFigures(
        year=2021, month=3, office_name="南陵县民生办", projects=0, budget=D("0"), paid=D("0"), paid_rate=None
    )
    assert wording.funds_sentence(empty) == "截止3月底，南陵县0项民生工程共计拨付资金0.00亿元。"
    assert "采用率—" in wording.information_sentence(empty)
    kinds = [block.kind for block in wording.summary_document(empty).blocks]
    assert "heading" in kinds and kinds.count("editable") == 3  # no 补助类 sentence without subsidy projects


def test_the_document_holds_the_generated_section_and_editable_ones():
    document = wording.summary_document(SEED)
    assert document.title == "南陵县2021年1-6月份民生工作小结"
    texts = [block.text for block in document.blocks]
    assert texts.index("一、1-6月份民生工程完成情况及信息报送情况") < texts.index(wording.information_sentence(SEED))
    assert "二、主要做法" in texts and "三、下一步工作安排" in texts
    assert wording.subsidy_sentence(SEED) in document.sentences


def test_the_docx_prints_the_same_sentences_in_the_official_look():
    document = wording.summary_document(SEED)
    result = docx.Document(io.BytesIO(summary_docx(document)))
    paragraphs = [p for p in result.paragraphs if p.text]
    assert paragraphs[0].text == document.title
    assert paragraphs[0].runs[0].font.size.pt == 22
    texts = [p.text for p in paragraphs]
    for sentence in document.sentences:
        assert sentence in texts
    heading = paragraphs[texts.index("二、主要做法")]
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = paragraphs[texts.index(wording.funds_sentence(SEED))]
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert texts[texts.index("二、主要做法") + 1] == wording.EDITABLE_PLACEHOLDER  # left for the office
