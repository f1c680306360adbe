/*
 * «ثبت جلسه»: add inline rows to the attendance, agenda, decision and action-item formsets.
 * Each formset has a <template class="empty-row"> rendered from Django's empty_form with the
 * "__prefix__" placeholder; a new row replaces it with the next index and bumps TOTAL_FORMS.
 */
(function () {
  "use strict";

  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";

  function persian(n) {
    return String(n).replace(/[0-9]/g, function (d) { return PERSIAN[Number(d)]; });
  }

  function addRow(fieldset) {
    var prefix = fieldset.getAttribute("data-prefix");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var index = Number(total.value);
    var template = fieldset.querySelector("template.empty-row");
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    var num = row.querySelector(".rownum");
    if (num) { num.textContent = persian(index + 1); }
    fieldset.querySelector(".rows").appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    return row;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.add-row");
    if (!button) { return; }
    event.preventDefault();
    addRow(button.closest("fieldset.formset"));
  });

  window.meetingFormAddRow = addRow;
})();
