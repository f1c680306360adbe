/*
 * Starts the Jalali date picker (static/vendor/jalalidatepicker) on every input[data-jdp].
 *
 * The server renders and accepts Persian digits, but the picker reads and writes Latin
 * digits only (it calls parseInt on the value). So the value is switched to Latin digits
 * while the input has focus, and back to Persian digits once the picker is done with it.
 * The picker listens on document.body, so inputs added later (htmx) work without any setup.
 */
(function () {
  "use strict";

  if (window.__jalaliInputsStarted) {
    return; // the widget media may be included by more than one form on a page
  }
  window.__jalaliInputsStarted = true;

  var SELECTOR = "input[data-jdp]";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";

  function toLatin(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (ch) {
      var i = PERSIAN.indexOf(ch);
      return String(i >= 0 ? i : ARABIC.indexOf(ch));
    });
  }

  function toPersian(text) {
    return text.replace(/[0-9]/g, function (ch) {
      return PERSIAN[Number(ch)];
    });
  }

  function isJalaliInput(target) {
    return target instanceof HTMLInputElement && target.matches(SELECTOR);
  }

  function showPersianLater(input) {
    // Deferred: the picker writes the value and redraws after its own events fire.
    window.setTimeout(function () {
      if (document.activeElement !== input) {
        input.value = toPersian(input.value);
      }
    }, 0);
  }

  function start() {
    // Capture phase on document: runs before the picker's focusin listener on body,
    // so the picker opens on the date already in the input.
    document.addEventListener(
      "focusin",
      function (event) {
        if (isJalaliInput(event.target)) {
          event.target.value = toLatin(event.target.value);
        }
      },
      true
    );
    document.addEventListener("focusout", function (event) {
      if (isJalaliInput(event.target)) {
        showPersianLater(event.target);
      }
    });
    document.addEventListener("jdp:change", function (event) {
      if (isJalaliInput(event.target)) {
        showPersianLater(event.target);
      }
    });

    if (!window.jalaliDatepicker) {
      return; // the picker failed to load: the inputs still accept typed dates
    }
    window.jalaliDatepicker.startWatch({
      time: true, // datetime inputs; date inputs carry data-jdp-only-date
      hasSecond: false,
      persianDigits: true,
      showTodayBtn: true,
      showEmptyBtn: true,
      zIndex: 2000,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
