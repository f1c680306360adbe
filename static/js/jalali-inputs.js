/*
 * Starts the Jalali date picker (static/vendor/jalalidatepicker) on every input[data-jdp].
 *
 * The server renders and accepts Persian digits, but the picker reads and writes Latin
 * digits only (it calls parseInt on the value). So the value is switched to Latin digits
 * while the input has focus (keeping the caret and selection), and back to Persian digits
 * once the picker is done with it; a complete date typed into the input redraws the picker
 * on that date.
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

  function rewrite(input, convert) {
    // Digits map one to one, so the caret and the selection keep their places: a value
    // selected on focus (Tab, a select-all, a test's fill()) is still selected and typing
    // replaces it instead of being appended.
    var value = convert(input.value);
    if (value === input.value) {
      return false;
    }
    var start = input.selectionStart;
    var end = input.selectionEnd;
    var direction = input.selectionDirection || "none";
    input.value = value;
    if (start !== null && end !== null && document.activeElement === input) {
      try {
        input.setSelectionRange(start, end, direction);
      } catch (e) {
        /* input types without a selection API */
      }
    }
    return true;
  }

  var TYPED_DATE = /^\d{4}\/\d{1,2}\/\d{1,2}(?:\s+\d{1,2}:\d{2})?$/;

  function followTypedDate(input) {
    // The picker reads the value only when it opens: redraw it on a complete typed date,
    // so it shows the month being typed (and the time) instead of today's.
    var picker = window.jalaliDatepicker;
    if (!picker || typeof picker.show !== "function" || !TYPED_DATE.test(input.value.trim())) {
      return;
    }
    try {
      picker.show(input);
    } catch (e) {
      /* an older picker: typing still works, the picker just stays where it opened */
    }
  }

  function showPersianLater(input) {
    // Deferred: the picker writes the value and redraws after its own events fire.
    // Once more after the picker's 300 ms show/hide transition, in which it may still
    // write the value it was redrawn on.
    function show() {
      if (document.activeElement !== input) {
        input.value = toPersian(input.value);
      }
    }
    window.setTimeout(show, 0);
    window.setTimeout(show, 350);
  }

  function start() {
    // Not during the focus event itself: a value changed while the browser is focusing
    // the input loses the selection the browser applies right after (Tab's select-all,
    // input.select()), and typing is then appended to the old date. One tick later the
    // selection is in place and survives the rewrite; the picker, which read the value
    // on focus, is then redrawn on the date in the input.
    document.addEventListener("focusin", function (event) {
      var input = event.target;
      if (!isJalaliInput(input)) {
        return;
      }
      window.setTimeout(function () {
        if (document.activeElement === input && rewrite(input, toLatin)) {
          followTypedDate(input);
        }
      }, 0);
    });
    document.addEventListener("input", function (event) {
      var input = event.target;
      // Only what a person typed: the picker's own synthetic "input" after a pick must not
      // reopen it.
      if (event.isTrusted && isJalaliInput(input) && document.activeElement === input) {
        rewrite(input, toLatin); // typed Persian digits: the picker parses Latin ones
        followTypedDate(input);
      }
    });
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
