// §4 naming rules as the author types: asks the server, shows the problems in a
// polite live region. The form works without this script; the server checks again.
(function () {
  "use strict";
  var form = document.getElementById("plan-form");
  if (!form) return;
  var url = form.getAttribute("data-name-check-url");
  var out = document.getElementById("name-check");
  var fields = {
    platform: form.querySelector('[data-name-check="platform"]'),
    display_name: form.querySelector('[data-name-check="display_name"]'),
    handle: form.querySelector('[data-name-check="handle"]'),
  };
  if (!url || !out || !fields.platform || !fields.display_name || !fields.handle) return;
  var timer = null;
  var last = "";

  function render(problems) {
    out.textContent = "";
    if (!problems.length) {
      var ok = document.createElement("p");
      ok.className = "met";
      ok.textContent = out.getAttribute("data-ok") || "Namnet följer namnreglerna (§4).";
      out.appendChild(ok);
      return;
    }
    var list = document.createElement("ul");
    list.className = "unmet";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p.message;
      list.appendChild(item);
    });
    out.appendChild(list);
  }

  function check() {
    var params = new URLSearchParams({
      platform: fields.platform.value,
      display_name: fields.display_name.value,
      handle: fields.handle.value,
    });
    var query = params.toString();
    if (query === last || !fields.platform.value || !fields.display_name.value || !fields.handle.value) return;
    last = query;
    fetch(url + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) render(data.problems || []); })
      .catch(function () {});
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 500);
  }
  fields.display_name.addEventListener("input", later);
  fields.handle.addEventListener("input", later);
  fields.platform.addEventListener("change", later);
})();

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
