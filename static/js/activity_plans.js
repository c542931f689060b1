// The administrators' checkbox list: a filter on name or unit, shown only when this
// script runs. Checked people stay visible so a choice is never hidden.
(function () {
  "use strict";
  var box = document.querySelector(".people-filter");
  var input = document.getElementById("admins-filter");
  var list = document.getElementById("admins-choices");
  var count = document.getElementById("admins-filter-count");
  if (!box || !input || !list) return;
  box.hidden = false;
  var rows = Array.prototype.slice.call(list.querySelectorAll(".field"));
  input.addEventListener("input", function () {
    var wanted = input.value.trim().toLocaleLowerCase("sv");
    var shown = 0;
    rows.forEach(function (row) {
      var checkbox = row.querySelector("input");
      var text = row.textContent.toLocaleLowerCase("sv");
      var visible = !wanted || text.indexOf(wanted) !== -1 || (checkbox && checkbox.checked);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    if (count) count.textContent = wanted ? shown + " / " + rows.length : "";
  });
})();
