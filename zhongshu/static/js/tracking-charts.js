/* Charts of the 督查督办 dashboard, drawn with Apache ECharts (vendored, served by the app).
   The page embeds its figures with json_script (#dashboard-data); each element with data-chart="<name>" gets one
   chart. Every bar, point and slice carries the URL of the board filtered to its items: clicking opens it.
   No inline script is needed (CSP-friendly). Also: the period selector switches to 自定义 when a date is edited. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  var COLOURS = { green: "#1b7a43", yellow: "#d19a00", red: "#b3261e", grey: "#8a939e" };
  var SERIES = ["#1a4f8f", "#1b7a43", "#5fa8d3", "#d19a00"];
  var PIE = ["#1a4f8f", "#1b7a43", "#d19a00", "#b3261e", "#5fa8d3", "#7a5195", "#ef8a62", "#4d9078", "#8a939e",
    "#c47e3a", "#3d4752"];

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function go(url) {
    if (url) window.location.href = url;
  }

  function horizontalHeight(count) {
    return Math.max(180, count * 26 + 50);
  }

  // Room for the unit names left of the bars: measured by hand (12 px per Chinese character), because the
  // fallback CJK font can be wider than what ECharts' containLabel measures, which clipped long names.
  function labelRoom(categories) {
    var longest = categories.reduce(function (max, name) { return Math.max(max, String(name).length); }, 2);
    return Math.min(190, 18 + longest * 13);
  }

  function onTime(spec) {
    return {
      height: horizontalHeight(spec.categories.length),
      option: {
        grid: { left: labelRoom(spec.categories), right: 130, top: 8, bottom: 24 },
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            return spec.categories[p.dataIndex] + "：" + spec.labels[p.dataIndex];
          },
        },
        xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", inverse: true, data: spec.categories, axisTick: { show: false },
          axisLabel: { fontFamily: FONT, interval: 0 } },
        series: [{
          type: "bar",
          barMaxWidth: 16,
          data: spec.values.map(function (value, i) {
            return { value: value === null ? 0 : value, itemStyle: { color: COLOURS[spec.colours[i]] || COLOURS.grey } };
          }),
          label: {
            show: true,
            position: "right",
            color: "#3d4752",
            formatter: function (p) { return spec.labels[p.dataIndex]; },
          },
        }],
      },
      urls: spec.urls,
    };
  }

  function overdue(spec) {
    return {
      height: horizontalHeight(spec.categories.length),
      option: {
        grid: { left: labelRoom(spec.categories), right: 120, top: 8, bottom: 24 },
        tooltip: {
          trigger: "item",
          formatter: function (p) { return spec.categories[p.dataIndex] + "：超期 " + spec.labels[p.dataIndex]; },
        },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: spec.categories, axisTick: { show: false },
          axisLabel: { fontFamily: FONT, interval: 0 } },
        series: [{
          type: "bar",
          barMaxWidth: 16,
          itemStyle: { color: COLOURS.red },
          data: spec.values,
          label: {
            show: true,
            position: "right",
            color: "#3d4752",
            formatter: function (p) { return spec.labels[p.dataIndex]; },
          },
        }],
      },
      urls: spec.urls,
    };
  }

  function trend(spec, narrow) {
    var series = spec.series.map(function (s, i) {
      return {
        name: s.name,
        type: "bar",
        barMaxWidth: 18,
        itemStyle: { color: SERIES[i] },
        data: s.values,
      };
    });
    series.push({
      name: "按期办结率",
      type: "line",
      yAxisIndex: 1,
      connectNulls: true,
      symbolSize: 7,
      itemStyle: { color: SERIES[3] },
      data: spec.rates,
    });
    return {
      height: narrow ? 300 : 280,
      option: {
        legend: { top: 0, itemGap: narrow ? 6 : 10, itemWidth: narrow ? 14 : 25 },
        grid: { left: 8, right: 8, top: narrow ? 56 : 36, bottom: 8, containLabel: true },
        tooltip: {
          trigger: "axis",
          valueFormatter: function (value) { return value === null || value === undefined ? "—" : value; },
        },
        xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, fontSize: 11, fontFamily: FONT } },
        yAxis: [
          { type: "value", name: narrow ? "" : "件", minInterval: 1 },
          { type: "value", name: narrow ? "" : "按期办结率", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } },
        ],
        series: series,
      },
      clickUrl: function (p) {
        var s = spec.series[p.seriesIndex] || spec.series[2]; // the rate line opens the items closed on time
        return s.urls[p.dataIndex];
      },
    };
  }

  function sources(spec, narrow) {
    var total = spec.items.reduce(function (sum, item) { return sum + item.value; }, 0);
    return {
      height: narrow ? 400 : 280,
      option: {
        color: PIE,
        tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
        legend: {
          type: narrow ? "plain" : "scroll",
          orient: narrow ? "horizontal" : "vertical",
          right: narrow ? "auto" : 0,
          left: narrow ? "center" : "auto",
          top: narrow ? "auto" : "middle",
          bottom: narrow ? 0 : "auto",
          formatter: function (name) {
            var found = spec.items.filter(function (item) { return item.name === name; })[0];
            return found ? name + "  " + found.value : name;
          },
        },
        title: { text: String(total), subtext: "件", left: narrow ? "50%" : "34%", top: narrow ? "30%" : "42%",
          textAlign: "center",
          textStyle: { fontSize: 22 }, subtextStyle: { fontSize: 12 } },
        series: [{
          type: "pie",
          center: narrow ? ["50%", "36%"] : ["35%", "52%"],
          radius: narrow ? ["30%", "52%"] : ["42%", "70%"],
          minShowLabelAngle: 18,
          label: { show: !narrow, formatter: "{b}\n{c}", fontFamily: FONT },
          data: spec.items.map(function (item) { return { name: item.name, value: item.value }; }),
        }],
      },
      urls: spec.items.map(function (item) { return item.url; }),
    };
  }

  var BUILDERS = { onTime: onTime, overdue: overdue, trend: trend, sources: sources };

  function drawCharts() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      var build = BUILDERS[name];
      if (!build || !data[name]) return;
      var built = build(data[name], el.clientWidth < 440);
      el.style.height = built.height + "px";
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      built.option.textStyle = { fontFamily: FONT };
      built.option.animation = false;
      chart.setOption(built.option);
      chart.on("click", function (p) {
        go(built.clickUrl ? built.clickUrl(p) : built.urls[p.dataIndex]);
      });
      chart.getZr().on("mousemove", function (e) {
        chart.getZr().setCursorStyle(e.target ? "pointer" : "default");
      });
      el.setAttribute("data-chart-ready", "1");
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  function periodSelector() {
    document.querySelectorAll("[data-stats-period]").forEach(function (form) {
      var select = form.querySelector("select[name=period]");
      form.querySelectorAll("input[type=date]").forEach(function (input) {
        input.addEventListener("change", function () {
          if (select) select.value = "custom";
        });
      });
    });
  }

  onReady(function () {
    periodSelector();
    drawCharts();
  });
})();
