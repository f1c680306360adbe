/* Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy
   can refuse inline scripts (docs/security.md). */
(function () {
  "use strict";
  // On a phone the filter box folds to one line unless a filter is applied or wrong.
  if (window.matchMedia("(max-width: 720px)").matches) {
    document.querySelectorAll('details.filter-box[data-fold-on-phone="1"]').forEach(function (d) {
      d.open = false;
    });
  }
  // A print button: <button data-print>.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
