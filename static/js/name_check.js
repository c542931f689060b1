/* As-you-type check of an account's name against the naming rules (§4), on the
   register's account form and the activity plan's form alike.
   Loaded with <script src>: the CSP forbids inline scripts. The server decides;
   this only shows its answer in a polite live region. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-name-check-url]");
  var out = document.getElementById("name-check-result");
  if (!form || !out || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var url = form.getAttribute("data-name-check-url");
  var account = form.getAttribute("data-account") || "";
  var timer = null;
  var watched = ["display_name", "handle", "platform"];

  function value(name) {
    var el = form.elements.namedItem(name);
    return el && el.value ? el.value : "";
  }

  function show(data) {
    out.textContent = "";
    if (!data || !data.problems) {
      return;
    }
    var p = document.createElement("p");
    if (data.problems.length === 0) {
      p.className = "met";
      p.textContent = out.getAttribute("data-ok-text");
      out.appendChild(p);
      return;
    }
    p.className = "unmet";
    p.textContent = out.getAttribute("data-problems-text");
    out.appendChild(p);
    var list = document.createElement("ul");
    list.className = "unmet";
    data.problems.forEach(function (problem) {
      var li = document.createElement("li");
      li.textContent = problem.message;
      list.appendChild(li);
    });
    out.appendChild(list);
  }

  function check() {
    var params = new URLSearchParams();
    params.set("display_name", value("display_name"));
    params.set("handle", value("handle"));
    if (!value("display_name") && !value("handle")) {
      out.textContent = "";
      return;
    }
    if (account) {
      params.set("account", account);
    } else if (value("platform")) {
      params.set("platform", value("platform"));
    } else {
      return;
    }
    fetch(url + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(show)
      .catch(function () {
        out.textContent = "";
      });
  }

  function schedule(event) {
    if (watched.indexOf(event.target.name) === -1) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
