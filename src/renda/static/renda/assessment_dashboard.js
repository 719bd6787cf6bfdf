// The assessment dashboards' charts: each element with data-dashboard-chart names the json_script
// block it is drawn from — a line chart of the trends by month, or the heat map of the townships.
(function () {
  "use strict";
  var charts = [];

  function lines(box, data) {
    box.style.height = "320px";
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 48, containLabel: true },
      xAxis: { type: "category", data: data.labels, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (one) { return { type: "line", name: one.name, data: one.data }; })
    };
  }

  function heatmap(box, data) {
    box.style.height = Math.max(260, 120 + data.rows.length * 36) + "px";
    var bands = data.bands;
    return {
      tooltip: {
        formatter: function (item) {
          var cell = item.data, safe = echarts.format.encodeHTML;
          return safe(data.rows[cell[1]]) + "<br>" + safe(data.columns[cell[0]]) + "：" + safe(cell[3]);
        }
      },
      grid: { left: 8, right: 16, bottom: 64, top: 8, containLabel: true },
      xAxis: { type: "category", data: data.columns, axisLabel: { interval: 0, rotate: 40, width: 90, overflow: "truncate" } },
      yAxis: { type: "category", data: data.rows, inverse: true },
      visualMap: {
        type: "piecewise", orient: "horizontal", left: "center", bottom: 0, itemWidth: 14,
        pieces: [
          { min: 0, max: 20, color: bands[0], label: "0–20%" },
          { min: 20, max: 40, color: bands[1], label: "20–40%" },
          { min: 40, max: 60, color: bands[2], label: "40–60%" },
          { min: 60, max: 80, color: bands[3], label: "60–80%" },
          { min: 80, max: 100, color: bands[4], label: "80–100%" }
        ],
        outOfRange: { color: "#ffffff" }
      },
      series: [{
        type: "heatmap",
        data: data.cells.filter(function (cell) { return cell[2] !== null; }),
        label: { show: data.columns.length <= 8, formatter: function (item) { return item.data[2] + "%"; } },
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 }
      }]
    };
  }

  function draw() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-dashboard-chart]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-dashboard-chart"));
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      if (!data) { return; }
      var option = data.kind === "heatmap" ? heatmap(box, data) : lines(box, data);
      var chart = echarts.init(box);
      chart.setOption(option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
