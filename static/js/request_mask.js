// Marking a region to mask on a rendered page: drag over the page image and
// the region form below is filled in (page and percentages); the registrar
// then names the provision and saves. The form alone does the same for
// keyboard and screen-reader users: the images only help to find the numbers.
(function () {
  "use strict";
  var form = document.getElementById("region-form");
  if (!form) return;
  function field(name) { return form.querySelector("[name='r-" + name + "']"); }
  function pct(value) { return Math.max(0, Math.min(100, Math.round(value * 1000) / 10)); }

  document.querySelectorAll(".mask-page").forEach(function (frame) {
    var image = frame.querySelector("img");
    var box = document.createElement("div");
    box.className = "mask-box";
    box.hidden = true;
    frame.appendChild(box);
    var start = null;

    function point(event) {
      var rect = image.getBoundingClientRect();
      return {
        x: Math.max(0, Math.min(1, (event.clientX - rect.left) / rect.width)),
        y: Math.max(0, Math.min(1, (event.clientY - rect.top) / rect.height)),
      };
    }
    function draw(a, b) {
      var left = Math.min(a.x, b.x), top = Math.min(a.y, b.y);
      box.style.left = left * 100 + "%";
      box.style.top = top * 100 + "%";
      box.style.width = Math.abs(a.x - b.x) * 100 + "%";
      box.style.height = Math.abs(a.y - b.y) * 100 + "%";
      box.hidden = false;
      return { left: left, top: top, width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
    }
    image.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = point(event);
      image.setPointerCapture(event.pointerId);
    });
    image.addEventListener("pointermove", function (event) {
      if (start) draw(start, point(event));
    });
    image.addEventListener("pointerup", function (event) {
      if (!start) return;
      var region = draw(start, point(event));
      start = null;
      if (region.width < 0.002 || region.height < 0.002) { box.hidden = true; return; }
      field("page").value = frame.dataset.page;
      field("left").value = pct(region.left);
      field("top").value = pct(region.top);
      field("width").value = pct(region.width);
      field("height").value = pct(region.height);
      var status = document.getElementById("region-status");
      if (status) status.textContent = status.dataset.filled.replace("%s", frame.dataset.page);
      field("provision").focus();
    });
  });
})();
