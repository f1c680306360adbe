/*
 * Starts the Jalali date picker (static/vendor/jalalidatepicker) on every input[data-jdp].
 *
 * The server renders and accepts Persian digits, but the picker reads and writes Latin
 * digits only (it calls parseInt on the value). The input keeps showing Persian digits all
 * the time (switching them to Latin on focus made «۱۳۹۹/۰۵/۱۱ ۱۰:۰۰» jump to
 * «10:00 1399/05/11»): its ``value`` property is wrapped so that, while the input has focus
 * (the only time the picker works on it), scripts read Latin digits, and whatever a script
 * writes is shown in Persian digits. Digits a person types in Latin are turned Persian as
 * they are typed, keeping the caret; a complete date typed redraws the picker on that date.
 *
 * Keyboard: Tab out of the input closes the picker; Escape closes it and keeps the focus in
 * the input (the picker's own Escape handler blurs it); the picker's year, month, hour and
 * minute selects get Persian accessible names (axe: select-name).
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

  var NATIVE_VALUE = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");

  function nativeValue(input) {
    return NATIVE_VALUE.get.call(input);
  }

  function wrapValue(input) {
    // Once per input: scripts (the picker) read Latin digits while it has focus; what is
    // shown, posted and read when it has no focus stays in Persian digits.
    if (input.__jalaliValueWrapped) {
      return;
    }
    input.__jalaliValueWrapped = true;
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () {
        var value = nativeValue(this);
        return document.activeElement === this ? toLatin(value) : value;
      },
      set: function (value) {
        NATIVE_VALUE.set.call(this, toPersian(String(value === null ? "" : value)));
      },
    });
  }

  function showPersian(input) {
    // Digits map one to one, so the caret and the selection keep their places: a value
    // selected on focus (Tab, a select-all, a test's fill()) is still selected and typing
    // replaces it instead of being appended.
    var current = nativeValue(input);
    var value = toPersian(current);
    if (value === current) {
      return false;
    }
    var start = input.selectionStart;
    var end = input.selectionEnd;
    var direction = input.selectionDirection || "none";
    NATIVE_VALUE.set.call(input, value);
    if (start !== null && end !== null && document.activeElement === input) {
      try {
        input.setSelectionRange(start, end, direction);
      } catch (e) {
        /* input types without a selection API */
      }
    }
    return true;
  }

  var LABELS = { years: "سال", months: "ماه", time: ["ساعت", "دقیقه", "ثانیه"] };

  function labelPickerControls(container) {
    // The picker redraws its controls on every change; each new one is named again.
    container.querySelectorAll(".jdp-years select, .jdp-years input").forEach(function (el) {
      el.setAttribute("aria-label", LABELS.years);
    });
    container.querySelectorAll(".jdp-months select").forEach(function (el) {
      el.setAttribute("aria-label", LABELS.months);
    });
    container.querySelectorAll(".jdp-time-container").forEach(function (box) {
      // Appended second, minute, hour: the last select is the hour.
      var selects = Array.prototype.slice.call(box.querySelectorAll("select")).reverse();
      selects.forEach(function (el, i) {
        el.setAttribute("aria-label", LABELS.time[i] || LABELS.time[0]);
      });
    });
  }

  function watchPicker() {
    var observer = new MutationObserver(function () {
      var container = document.querySelector("jdp-container");
      if (container) {
        labelPickerControls(container);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }

  function pickerShownFor(input) {
    var container = document.querySelector("jdp-container");
    return Boolean(
      container && container.style.display !== "none" && container.style.visibility !== "hidden"
    ) && document.activeElement === input;
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

  function start() {
    document.addEventListener("focusin", function (event) {
      if (isJalaliInput(event.target)) {
        wrapValue(event.target);
      }
    });
    document.addEventListener("input", function (event) {
      var input = event.target;
      // Only what a person typed: the picker's own synthetic "input" after a pick must not
      // reopen it.
      if (event.isTrusted && isJalaliInput(input) && document.activeElement === input) {
        showPersian(input); // typed Latin digits are shown Persian as they come
        followTypedDate(input);
      }
    });
    // A click in the focused input reopens the picker closed with Escape.
    document.addEventListener("click", function (event) {
      var input = event.target;
      if (
        isJalaliInput(input) &&
        window.jalaliDatepicker &&
        document.activeElement === input &&
        !pickerShownFor(input)
      ) {
        window.jalaliDatepicker.show(input);
      }
    });
    // Capture phase on window: runs before the picker's own keydown handler on document.
    window.addEventListener(
      "keydown",
      function (event) {
        var input = event.target;
        if (!isJalaliInput(input) || !window.jalaliDatepicker) {
          return;
        }
        if (event.key === "ArrowDown" && !pickerShownFor(input)) {
          event.preventDefault(); // reopen the picker closed with Escape, by keyboard
          window.jalaliDatepicker.show(input);
        } else if (event.key === "Tab") {
          window.jalaliDatepicker.hide(); // focus moves on; the picker must not stay open
        } else if (event.key === "Escape" && pickerShownFor(input)) {
          event.stopPropagation(); // the picker's handler would blur the input
          event.preventDefault();
          window.jalaliDatepicker.hide();
        }
      },
      true
    );

    if (!window.jalaliDatepicker) {
      return; // the picker failed to load: the inputs still accept typed dates
    }
    watchPicker();
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
