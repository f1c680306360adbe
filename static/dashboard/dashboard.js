/* Draws the dashboard's charts from the JSON the page embeds; a click opens the list behind. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var fa = new Intl.NumberFormat("fa-IR");
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  Chart.defaults.locale = "fa-IR";

  function opener(urls) {
    return function (event, elements) {
      if (elements.length && urls[elements[0].index]) {
        window.location.href = urls[elements[0].index];
      }
    };
  }
  function draw(name, config) {
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (!canvas) { return; }
    config.options = Object.assign({
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { rtl: true, position: "bottom" }, tooltip: { rtl: true } },
      scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return fa.format(v); } } } }
    }, config.options || {});
    canvas.chart = new Chart(canvas, config);
    canvas.dataset.drawn = "true";
  }

  var byStatus = data.agreements_by_status.results;
  draw("by-status", {
    type: "bar",
    data: { labels: byStatus.map(function (r) { return r.label; }),
            datasets: [{ label: "تعداد", data: byStatus.map(function (r) { return r.count; }),
                         backgroundColor: "#2f6f8f" }] },
    options: { onClick: opener(byStatus.map(function (r) { return r.url; })),
               plugins: { legend: { display: false } } }
  });

  var durations = data.state_durations.results.filter(function (r) { return r.completed > 0; });
  draw("durations", {
    type: "bar",
    data: { labels: durations.map(function (r) { return r.label; }),
            datasets: [
              { label: "میانه (روز)", data: durations.map(function (r) { return r.median_days; }),
                backgroundColor: "#4c9f70" },
              { label: "صدک ۹۰ (روز)", data: durations.map(function (r) { return r.p90_days; }),
                backgroundColor: "#d08c2e" }] },
    options: { onClick: opener(durations.map(function (r) { return r.url; })) }
  });

  var months = data.timeline.months;
  draw("timeline", {
    type: "bar",
    data: { labels: months.map(function (m) { return m.label; }),
            datasets: [
              { label: "تفاهم‌نامه امضاشده", data: months.map(function (m) { return m.agreements_signed; }),
                backgroundColor: "#2f6f8f" },
              { label: "جلسه برگزارشده", data: months.map(function (m) { return m.meetings_held; }),
                backgroundColor: "#9b59b6" }] },
    options: {
      onClick: function (event, elements) {
        if (!elements.length) { return; }
        var m = months[elements[0].index];
        window.location.href = elements[0].datasetIndex === 0 ? m.agreements_url : m.meetings_url;
      }
    }
  });

  var orgs = data.action_items.by_organization.slice(0, 12);
  draw("actions", {
    type: "bar",
    data: { labels: orgs.map(function (r) { return r.name; }),
            datasets: [
              { label: "باز", data: orgs.map(function (r) { return r.open; }), backgroundColor: "#2f6f8f" },
              { label: "معوق", data: orgs.map(function (r) { return r.overdue; }), backgroundColor: "#c0392b" }] },
    options: { indexAxis: "y", onClick: opener(orgs.map(function (r) { return r.url; })),
               scales: { x: { beginAtZero: true } } }
  });
})();
