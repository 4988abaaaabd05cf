/* Funds overview chart: budget and paid per unit (bars) and the funds rate (line), Apache ECharts,
 * vendored. The data comes from json_script ("funds-chart-data"); amounts arrive as strings. */
(function () {
  "use strict";

  function numbers(values) {
    return values.map(function (v) { return v === null || v === "" ? null : Number(v); });
  }

  function render(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
      // Drawn on the canvas: the HTML tooltip writes style="" attributes, which the CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 28, data: ["年度预算", "累计拨付", "拨付率"] },
      toolbox: { feature: { saveAsImage: { title: "保存为图片", name: data.title, pixelRatio: 2 } } },
      grid: { left: 70, right: 60, top: 70, bottom: 60 },
      xAxis: { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 8 ? 30 : 0 } },
      yAxis: [
        { type: "value", name: "万元" },
        { type: "value", name: "拨付率（%）", min: 0, max: function (range) { return Math.max(100, Math.ceil(range.max / 10) * 10); } }
      ],
      series: [
        { name: "年度预算", type: "bar", data: numbers(data.budget), itemStyle: { color: "#9ec5fe" } },
        { name: "累计拨付", type: "bar", data: numbers(data.paid), itemStyle: { color: "#0d6efd" } },
        { name: "拨付率", type: "line", yAxisIndex: 1, data: numbers(data.rate), symbolSize: 7, itemStyle: { color: "#b02a37" },
          label: { show: true, formatter: function (p) { return p.value === null || p.value === undefined ? "" : Number(p.value).toFixed(2) + "%"; } } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.fundsChart = chart;
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("funds-chart");
    var source = document.getElementById("funds-chart-data");
    if (element && source && window.echarts) {
      render(element, JSON.parse(source.textContent));
      element.setAttribute("data-rendered", "true");
    }
  });
})();
