/*
 * «ثبت جلسه» / «ویرایش جلسه», where a new user stumbled (issue 13):
 *
 * - choosing a registered person in an attendance row fills the row's title and
 *   organisation, and choosing an action item's owner person fills its owner organisation
 *   (both stay editable; a value the user typed or chose is never overwritten);
 * - the participants and linked agreements are a searchable multi-choice (Tom Select,
 *   static/vendor/tom-select, keyboard-usable) instead of a <select multiple> that needs
 *   Ctrl-click;
 * - «+ سازمان تازه…» in every organisation choice opens a dialog that posts to
 *   /organizations/new/ (JSON) and adds the new organisation to every choice of the page.
 *
 * Data comes from the json_script block «meeting-form-data» (meetings/forms.py,
 * MeetingLogForms.widget_data). No inline script or style: the page runs under the CSP.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("meeting-form-data");
  var form = document.getElementById("meeting-form");
  if (!dataNode || !form) {
    return;
  }
  var data = JSON.parse(dataNode.textContent || "{}");
  var people = data.people || {};
  var NEW = "__new_organization__";
  var NEW_LABEL = "+ سازمان تازه…";

  // --- A chosen person fills their row --------------------------------------------------

  function fill(field, value) {
    // Fill an empty field, or one that still holds what was filled automatically before.
    if (!field || value === undefined || value === null) {
      return;
    }
    var current = field.value;
    if (current === "" || field.getAttribute("data-autofilled") === current) {
      field.value = String(value);
      field.setAttribute("data-autofilled", field.value);
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function rowField(select, suffix) {
    var name = select.name.replace(/-[a-z_]+$/, "-" + suffix);
    return form.querySelector("[name='" + name + "']");
  }

  form.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.value) {
      return;
    }
    var person = people[select.value];
    if (/^attendances-\d+-person$/.test(select.name) && person) {
      fill(rowField(select, "position_title"), person.title);
      fill(rowField(select, "organization"), person.organization);
    } else if (/^action_items-\d+-owner_person$/.test(select.name) && person) {
      fill(rowField(select, "owner_organization"), person.organization);
    }
  });

  // --- Searchable multi-choice ------------------------------------------------------------

  var multi = {};

  // The same folding as tracker/persian.py's normalize(), for search: Arabic ي/ك typed
  // find Persian ی/ک, and a half-space, a space or none between the parts of a word meet.
  function fold(text) {
    return String(text)
      .replace(/[\u064a\u0649]/g, "\u06cc")
      .replace(/\u0643/g, "\u06a9")
      .replace(/[\u0629\u06c0]/g, "\u0647")
      .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
      .toLowerCase();
  }

  function foldedScore(search) {
    var terms = fold(search).split(/[\s\u200c]+/).filter(Boolean);
    return function (item) {
      var text = fold(item.text).replace(/[\s\u200c]+/g, "");
      for (var i = 0; i < terms.length; i++) {
        if (text.indexOf(terms[i]) < 0) {
          return 0;
        }
      }
      return 1;
    };
  }

  function startMultiChoice(select) {
    if (!window.TomSelect || !select) {
      return;
    }
    // Tom Select points the <label> at its own input; the original select, kept for the
    // form and screen readers, keeps the label's name (axe: select-name).
    var label = select.id && form.querySelector("label[for='" + select.id + "']");
    if (label && !select.getAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    multi[select.name] = new window.TomSelect(select, {
      plugins: ["remove_button"],
      maxOptions: null,
      hidePlaceholder: false,
      placeholder: "برای جست‌وجو بنویسید…",
      score: foldedScore,
      render: {
        no_results: function () {
          return "<div class='no-results'>چیزی پیدا نشد.</div>";
        },
      },
    });
  }

  startMultiChoice(form.querySelector("select[name='participants']"));
  startMultiChoice(form.querySelector("select[name='agreements']"));

  // --- «سازمان تازه» dialog ----------------------------------------------------------------

  var createUrl = data.organizationCreateUrl;
  if (!createUrl || typeof HTMLDialogElement === "undefined") {
    return;
  }

  function isOrganizationSelect(select) {
    return (
      select instanceof HTMLSelectElement &&
      !select.multiple &&
      /^(attendances|action_items)-(\d+|__prefix__)-(organization|owner_organization)$/.test(
        select.name
      )
    );
  }

  function addNewOption(select) {
    if (select.querySelector("option[value='" + NEW + "']")) {
      return;
    }
    var option = document.createElement("option");
    option.value = NEW;
    option.textContent = NEW_LABEL;
    select.appendChild(option);
  }

  function eachOrganizationSelect(callback) {
    form.querySelectorAll("select").forEach(function (select) {
      if (isOrganizationSelect(select)) {
        callback(select);
      }
    });
    // The rows added later are cloned from these templates.
    form.querySelectorAll("template.empty-row").forEach(function (template) {
      template.content.querySelectorAll("select").forEach(function (select) {
        if (isOrganizationSelect(select)) {
          callback(select);
        }
      });
    });
  }

  eachOrganizationSelect(addNewOption);

  var dialog = document.createElement("dialog");
  dialog.className = "org-dialog";
  dialog.setAttribute("aria-labelledby", "org-dialog-title");
  dialog.innerHTML =
    "<form method='dialog' novalidate>" +
    "<h2 id='org-dialog-title'>سازمان تازه</h2>" +
    "<div class='errors' role='alert' hidden></div>" +
    "<div class='org-dialog-fields'>در حال بارگذاری…</div>" +
    "<p><button type='submit' class='primary'>ثبت سازمان</button> " +
    "<button type='button' data-close>انصراف</button></p>" +
    "</form>";
  document.body.appendChild(dialog);
  var dialogForm = dialog.querySelector("form");
  var fieldsBox = dialog.querySelector(".org-dialog-fields");
  var errorBox = dialog.querySelector(".errors");
  var trigger = null; // the select (or button) the dialog was opened from
  var previous = ""; // the trigger's value before «+ سازمان تازه…» was chosen
  var fieldsLoaded = false;

  function loadFields() {
    if (fieldsLoaded) {
      return Promise.resolve();
    }
    return fetch(createUrl + "?fragment=1", { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        fieldsBox.innerHTML = html;
        fieldsLoaded = true;
      });
  }

  function showErrors(errors, detail) {
    dialog.querySelectorAll("[data-errors-for]").forEach(function (box) {
      box.textContent = "";
    });
    var general = [];
    if (detail) {
      general.push(detail);
    }
    Object.keys(errors || {}).forEach(function (field) {
      var box = dialog.querySelector("[data-errors-for='" + field + "']");
      errors[field].forEach(function (message) {
        if (box) {
          var p = document.createElement("p");
          p.className = "field-error";
          p.textContent = message;
          box.appendChild(p);
        } else {
          general.push(message);
        }
      });
    });
    errorBox.textContent = general.join(" ");
    errorBox.hidden = general.length === 0;
    var firstBad = dialog.querySelector("[data-errors-for] p");
    if (firstBad) {
      var input = firstBad.closest(".org-field").querySelector("input, select");
      if (input) {
        input.focus();
      }
    }
  }

  function open(from) {
    trigger = from;
    showErrors({}, "");
    loadFields()
      .then(function () {
        dialog.showModal();
        var first = dialog.querySelector("input, select");
        if (first) {
          first.focus();
        }
      })
      .catch(function () {
        window.alert("فرم سازمان تازه بار نشد؛ دوباره تلاش کنید.");
        restoreTrigger();
      });
  }

  function restoreTrigger() {
    if (trigger instanceof HTMLSelectElement && trigger.value === NEW) {
      trigger.value = previous;
    }
  }

  function addOrganization(id, name) {
    eachOrganizationSelect(function (select) {
      var option = document.createElement("option");
      option.value = String(id);
      option.textContent = name;
      select.insertBefore(option, select.querySelector("option[value='" + NEW + "']"));
    });
    var participants = multi.participants;
    if (participants) {
      participants.addOption({ value: String(id), text: name });
    }
    if (trigger instanceof HTMLSelectElement) {
      trigger.value = String(id);
      trigger.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (participants) {
      participants.addItem(String(id));
    }
  }

  form.addEventListener("focusin", function (event) {
    if (isOrganizationSelect(event.target)) {
      previous = event.target.value === NEW ? "" : event.target.value;
    }
  });

  form.addEventListener("change", function (event) {
    var select = event.target;
    if (isOrganizationSelect(select) && select.value === NEW) {
      open(select);
    }
  });

  var participantsSelect = form.querySelector("select[name='participants']");
  if (participantsSelect) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link add-organization";
    button.textContent = NEW_LABEL;
    var cell = participantsSelect.closest(".cell") || participantsSelect.parentNode;
    cell.appendChild(button);
    button.addEventListener("click", function () {
      open(button);
    });
  }

  dialog.querySelector("[data-close]").addEventListener("click", function () {
    dialog.close();
  });

  dialog.addEventListener("close", function () {
    restoreTrigger();
    if (trigger && typeof trigger.focus === "function") {
      trigger.focus();
    }
  });

  dialogForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new FormData(dialogForm);
    var token = form.querySelector("input[name='csrfmiddlewaretoken']");
    if (token) {
      body.append("csrfmiddlewaretoken", token.value);
    }
    fetch(createUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (json) {
          return { status: response.status, json: json };
        });
      })
      .then(function (result) {
        if (result.status === 201) {
          addOrganization(result.json.id, result.json.name);
          dialogForm.reset();
          var from = trigger;
          trigger = null; // already set: closing must not restore the old value
          dialog.close();
          if (from && typeof from.focus === "function") {
            from.focus();
          }
        } else {
          showErrors(result.json.errors || {}, result.json.detail || "");
        }
      })
      .catch(function () {
        showErrors({}, "ثبت سازمان ممکن نشد؛ اتصال را بررسی کنید و دوباره تلاش کنید.");
      });
  });
})();
