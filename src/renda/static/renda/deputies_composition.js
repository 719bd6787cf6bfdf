// The composition chart: reads its data from the json_script block named by data-chart-source.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("composition-chart");
    if (!box || typeof echarts === "undefined") { return; }
    var source = document.getElementById(box.getAttribute("data-chart-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    box.style.height = "360px";
    var chart = echarts.init(box);
    chart.setOption({
      title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", valueFormatter: function (value) { return value + "%"; } },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: [{ type: "bar", data: data.shares, itemStyle: { color: "#a61b1b" }, label: { show: true, position: "right", formatter: "{c}%" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
