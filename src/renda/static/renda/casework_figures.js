// The figures chart: rates per township, read from the json_script block named by data-chart-source.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("figures-chart");
    if (!box || typeof echarts === "undefined") { return; }
    var source = document.getElementById(box.getAttribute("data-chart-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    box.style.height = Math.max(240, 60 + data.labels.length * 48) + "px";
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (value) { return value + "%"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: data.series.map(function (one) { return { type: "bar", name: one.name, data: one.data }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
