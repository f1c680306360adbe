/* Draws the dashboard's charts from the JSON the page embeds; a click opens the list behind.
 *
 * The page is right to left: categories run from the right (vertical bars get their rows in
 * reverse order, horizontal ones the category axis on the right), value axes sit on the
 * right, legends and tooltips are RTL, and every number shown is in Persian digits. Count
 * axes step by whole numbers from zero.
 *
 * Not ``reverse: true`` on a category axis: Chart.js leaves room for the slanted label of
 * the *first* category on the left, so with a reversed axis the last one, drawn there, was
 * cut («آذر ۱۴۰۵» read «آذر ۰۵», «فسخ‌شده» read «فسخ»). */
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

  /* Rows from right to left: the first row is drawn rightmost. */
  function rtl(rows) { return rows.slice().reverse(); }

  /* A long name as lines of whole words. Chart.js gives a side axis at most half the chart
   * and cuts what does not fit (an organisation's name, on a phone). */
  function wrapped(text, width) {
    var max = width < 500 ? 14 : 24;
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > max) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) { lines.push(line); }
    return lines.length > 1 ? lines : text;
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

  /* countsOnly: the chart counts things, so bars all at zero mean nothing happened yet
   * (a duration of zero days, by contrast, is a result). */
  function draw(name, config, countsOnly) {
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (!canvas) { return; }
    var values = [];
    config.data.datasets.forEach(function (d) { values = values.concat(d.data); });
    var nothing = countsOnly && values.every(function (v) { return !v; });
    if (!config.data.labels.length || nothing) {
      // Empty axes (or bars all at zero) would read as a result: say there is nothing yet.
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

  /* Vertical bars (rows given through rtl()), the value axis on the right. The room Chart.js
   * leaves for the leftmost slanted label falls a few pixels short of its first letter. */
  var vertical = function (counts) {
    return {
      x: categoryAxis({ afterFit: function (scale) { scale.paddingLeft += 6; } }),
      y: valueAxis(counts, { position: "right" })
    };
  };

  function drawAll() {
    var byStatus = rtl(data.agreements_by_status.results);
    draw("by-status", {
      type: "bar",
      data: { labels: byStatus.map(function (r) { return r.label; }),
              datasets: [{ label: "تعداد", data: byStatus.map(function (r) { return r.count; }),
                           backgroundColor: "#2f6f8f" }] },
      options: { onClick: opener(byStatus.map(function (r) { return r.url; })),
                 plugins: { legend: { display: false } },
                 scales: vertical(true) }
    }, true);

    var durations = rtl(
      data.state_durations.results.filter(function (r) { return r.completed > 0; }));
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

    // The oldest month on the right, time running leftwards as the page reads.
    var months = rtl(data.timeline.months);
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
        scales: vertical(true),
        onClick: function (event, elements) {
          if (!elements.length) { return; }
          var m = months[elements[0].index];
          window.location.href = elements[0].datasetIndex === 0 ? m.agreements_url : m.meetings_url;
        }
      }
    }, true);

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
      // A bar opens its own list: the open items, or (red bar) the overdue ones.
      options: { indexAxis: "y",
                 onClick: function (event, elements) {
                   if (!elements.length) { return; }
                   var r = orgs[elements[0].index];
                   var url = elements[0].datasetIndex === 1 ? r.overdue_url : r.url;
                   if (url) { window.location.href = url; }
                 },
                 scales: { x: valueAxis(true, { reverse: true }),
                           y: categoryAxis({ position: "right", ticks: { callback: function (value) {
                             return wrapped(this.getLabelForValue(value), this.chart.width);
                           } } }) } }
    }, true);
  }

  // Canvas text does not wait for web fonts: draw once Vazirmatn is loaded.
  if (document.fonts && document.fonts.load) {
    document.fonts.load("12px Vazirmatn").then(drawAll, drawAll);
  } else {
    drawAll();
  }
})();
