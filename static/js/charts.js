/* Unit page chart: month score and rank against the peer average (Apache ECharts, vendored). */
(function () {
  "use strict";

  function numbers(values) {
    // Scores arrive as strings ("1.498") so that Python never turns them into floats.
    return values.map(function (v) { return v === null ? null : Number(v); });
  }

  function renderUnitChart(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: "axis",
        // Drawn on the canvas: the HTML tooltip writes style="" attributes, which the CSP refuses.
        renderMode: "richText",
        valueFormatter: function (value) {
          return value === null || value === undefined ? "—" : (Number.isInteger(value) ? value : value.toFixed(3));
        }
      },
      legend: { top: 28, data: ["本单位得分", data.peer_label, "月排名"] },
      toolbox: { feature: { saveAsImage: { title: "保存为图片", name: data.title, pixelRatio: 2 } } },
      grid: { left: 60, right: 60, top: 70, bottom: 40 },
      xAxis: { type: "category", data: data.months },
      yAxis: [
        {
          // 3-decimal labels on steps of at least 0.001: scores 1.490–1.500 never read 1.50, 1.50, 1.49
          type: "value", name: "得分", scale: true, minInterval: 0.001, splitNumber: 4,
          min: function (range) { return Math.floor((range.min - 0.001) * 100) / 100; },
          max: function (range) { return Math.ceil((range.max + 0.001) * 100) / 100; },
          axisLabel: { formatter: function (v) { return v.toFixed(3); } }
        },
        { type: "value", name: "排名", inverse: true, minInterval: 1, min: 1 }
      ],
      series: [
        { name: "本单位得分", type: "line", data: numbers(data.score), symbolSize: 8, label: { show: true, formatter: function (p) { return p.value === null || p.value === undefined ? "" : Number(p.value).toFixed(3); } } },
        { name: data.peer_label, type: "line", data: numbers(data.peer_average), lineStyle: { type: "dashed" } },
        { name: "月排名", type: "line", yAxisIndex: 1, data: data.rank, symbol: "diamond", lineStyle: { opacity: 0.6, width: 1, type: "dotted" }, itemStyle: { color: "#9b1c1c" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.unitChart = chart;
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("unit-chart");
    var source = document.getElementById("unit-chart-data");
    if (element && source && window.echarts) {
      renderUnitChart(element, JSON.parse(source.textContent));
      element.setAttribute("data-rendered", "true");
    }
  });
})();
