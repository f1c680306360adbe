/* The agreement form proposes the owner's next reference number for the Jalali year
   (agreements/selectors/references.py renders the map on the owner select). Choosing
   another owner replaces the proposal, never a number the user typed themselves. */
(function () {
  "use strict";
  var owner = document.querySelector("select[data-reference-suggestions]");
  var number = document.querySelector("input[data-reference-target]");
  if (!owner || !number) { return; }
  var suggestions = {};
  try { suggestions = JSON.parse(owner.getAttribute("data-reference-suggestions")) || {}; }
  catch (e) { return; }
  var proposed = number.value;
  function isProposal() {
    return number.value === "" || number.value === proposed;
  }
  owner.addEventListener("change", function () {
    var next = suggestions[owner.value];
    if (next && isProposal()) {
      number.value = next;
      proposed = next;
    }
  });
  if (number.value === "" && suggestions[owner.value]) {
    number.value = suggestions[owner.value];
    proposed = number.value;
  }
})();
