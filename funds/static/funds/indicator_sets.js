// The indicator set form's weight total, kept current while a manager types (the server shows it on each render
// and the service checks it on save). A line counts when it is scored and not a bonus item, as
// funds.performance.scoring.is_weighted has it.
(function () {
  "use strict";
  function value(line, name) {
    var field = line.querySelector('[name$="-' + name + '"]');
    if (!field) return "";
    return field.type === "checkbox" ? field.checked : field.value.trim();
  }
  function weighted(line) {
    var kind = value(line, "kind"), rule = value(line, "rule"), target = value(line, "target");
    if (kind === "bonus") return false;
    if (kind === "panel") return true;
    if (rule === "shown") return false;
    return !(value(line, "key") === "reinvestment" && target !== "" && Number(target) === 0);
  }
  function update(form) {
    var total = 0;
    form.querySelectorAll("[data-line]").forEach(function (line) {
      var weight = Number(value(line, "weight"));
      if (value(line, "DELETE") || value(line, "weight") === "" || !isFinite(weight) || !weighted(line)) return;
      total += weight;
    });
    total = Math.round(total * 100) / 100;
    var shown = form.querySelector("[data-weight-total]");
    if (!shown) return;
    shown.textContent = String(total);
    shown.closest(".weight-total").classList.toggle("weight-total--ok", total === 100);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".indicator-set-form");
    if (!form) return;
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
  });
})();
