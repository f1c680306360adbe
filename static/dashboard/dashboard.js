/* Draws the dashboard's charts from the JSON the page embeds; a click opens the list behind.
 *
 * The page is right to left: category axes run from the right (x reversed on vertical bars,
 * the category axis on the right of horizontal ones), value axes sit on the right, legends
 * and tooltips are RTL, and every number shown is in Persian digits. Count axes step by
 * whole numbers from zero. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var fa = new Intl.NumberFormat("fa-IR", { maximumFractionDigits: 1 });
  var FONT = "Vazirmatn, Tahoma, sans-serif";
  Chart.defaults.font.family = FONT;
  Chart.defaults.locale = "fa-IR";

  function faNumber(value) { return fa.format(value); }

  function isObject(v) { return v && typeof v === "object" && !Array.isArray(v); }
  /* Nested options merged key by key (Object.assign would drop the defaults of a section). */
  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      if (isObject(source[key]) && isObject(target[key])) {
        merge(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    });
    return target;
  }

  /* A value axis: Persian-digit ticks from zero; counts step by whole numbers. */
  function valueAxis(counts, extra) {
    var axis = { beginAtZero: true, ticks: { callback: faNumber } };
    if (counts) { axis.ticks.precision = 0; }
    return merge(axis, extra || {});
  }
  /* A category axis; its labels are text, not numbers. */
  function categoryAxis(extra) {
    return merge({ ticks: { autoSkip: true } }, extra || {});
  }

  function opener(urls) {
    return function (event, elements) {
      if (elements.length && urls[elements[0].index]) {
        window.location.href = urls[elements[0].index];
      }
    };
  }

  function tooltipLabel(context) {
    var horizontal = context.chart.options.indexAxis === "y";
    var value = horizontal ? context.parsed.x : context.parsed.y;
    var name = context.dataset.label || "";
    return (name ? name + ": " : "") + faNumber(value);
  }

  function draw(name, config) {
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (!canvas) { return; }
    if (!config.data.labels.length) {
      // Empty axes would read as "all zero": say there is nothing to draw yet.
      var empty = document.createElement("p");
      empty.className = "muted";
      empty.dataset.chartEmpty = name;
      empty.textContent = "هنوز داده‌ای برای این نمودار نیست.";
      canvas.replaceWith(empty);
      return;
    }
    config.options = merge({
      responsive: true,
      maintainAspectRatio: false,
      font: { family: FONT },
      plugins: {
        legend: { rtl: true, position: "bottom", labels: { font: { family: FONT } } },
        tooltip: {
          rtl: true,
          textDirection: "rtl",
          titleFont: { family: FONT },
          bodyFont: { family: FONT },
          callbacks: { label: tooltipLabel }
        }
      }
    }, config.options || {});
    canvas.chart = new Chart(canvas, config);
    canvas.dataset.drawn = "true";
  }

  /* Vertical bars: categories along x from the right, the value axis on the right. */
  var vertical = function (counts) {
    return { x: categoryAxis({ reverse: true }), y: valueAxis(counts, { position: "right" }) };
  };

  function drawAll() {
    var byStatus = data.agreements_by_status.results;
    draw("by-status", {
      type: "bar",
      data: { labels: byStatus.map(function (r) { return r.label; }),
              datasets: [{ label: "تعداد", data: byStatus.map(function (r) { return r.count; }),
                           backgroundColor: "#2f6f8f" }] },
      options: { onClick: opener(byStatus.map(function (r) { return r.url; })),
                 plugins: { legend: { display: false } },
                 scales: vertical(true) }
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
      // Days may be fractional (a median of 2.5 days): no whole-number steps here.
      options: { onClick: opener(durations.map(function (r) { return r.url; })),
                 scales: vertical(false) }
    });

    var months = data.timeline.months;
    draw("timeline", {
      type: "bar",
      data: { labels: months.map(function (m) { return m.label; }),
              datasets: [
                { label: "تفاهم‌نامه امضاشده",
                  data: months.map(function (m) { return m.agreements_signed; }),
                  backgroundColor: "#2f6f8f" },
                { label: "جلسه برگزارشده", data: months.map(function (m) { return m.meetings_held; }),
                  backgroundColor: "#9b59b6" }] },
      options: {
        // The oldest month on the right, time running leftwards as the page reads.
        scales: vertical(true),
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
                { label: "باز", data: orgs.map(function (r) { return r.open; }),
                  backgroundColor: "#2f6f8f" },
                { label: "معوق", data: orgs.map(function (r) { return r.overdue; }),
                  backgroundColor: "#c0392b" }] },
      // Horizontal bars: names on the right, bars growing leftwards.
      options: { indexAxis: "y", onClick: opener(orgs.map(function (r) { return r.url; })),
                 scales: { x: valueAxis(true, { reverse: true }),
                           y: categoryAxis({ position: "right" }) } }
    });
  }

  // Canvas text does not wait for web fonts: draw once Vazirmatn is loaded.
  if (document.fonts && document.fonts.load) {
    document.fonts.load("12px Vazirmatn").then(drawAll, drawAll);
  } else {
    drawAll();
  }
})();
