// A filter above a long list of choices: typing narrows the list to what
// matches, and what is chosen stays in sight. Without script the whole
// list scrolls, as before.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".checks[data-filter]"), function (box) {
    var labels = box.querySelectorAll("label.check");
    if (labels.length < 12) return;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "checks-filter";
    input.placeholder = box.getAttribute("data-filter");
    input.setAttribute("aria-label", box.getAttribute("data-filter"));
    input.setAttribute("aria-controls", box.id);
    box.parentNode.insertBefore(input, box);
    // Enter in the filter must not save the form.
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") e.preventDefault();
    });
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(labels, function (l) {
        l.hidden = q !== "" && l.textContent.toLowerCase().indexOf(q) < 0 && !l.querySelector("input").checked;
      });
    });
  });
})();
