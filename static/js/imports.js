// The import job's page: polls the job's JSON (GET /api/v1/imports/{id}/) and moves the
// progress bar; once the job has finished, reloads the page, which then shows the report.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.finished === "1") {
    return;
  }
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var status = document.getElementById("import-status");
  var digits = "۰۱۲۳۴۵۶۷۸۹";
  function fa(n) {
    return String(n).replace(/[0-9]/g, function (d) { return digits[Number(d)]; });
  }
  var delay = 700;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job) {
          bar.max = job.progress.total || 1;
          bar.value = job.progress.done;
          bar.textContent = fa(job.progress.percent) + "٪";
          count.textContent = fa(job.progress.done) + " از " + fa(job.progress.total) + " ردیف";
          status.textContent = job.status_display;
          if (job.status === "done" || job.status === "failed") {
            window.location.reload();
            return;
          }
        }
        delay = Math.min(delay * 1.3, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, delay);
})();
