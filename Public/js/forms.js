// Shared form fields (Sources/Platform/Web/FormView.swift): hides a field while its show-if condition
// does not hold and disables its controls so nothing is posted for it. The server checks the same
// condition and drops answers to hidden fields, so this is only a convenience.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-form-fields]").forEach(function (container) {
    function chosen(key) {
      var values = [];
      container.querySelectorAll("[data-field='" + key + "'] [name]").forEach(function (control) {
        if (control.disabled) { return; }
        if (control.type === "checkbox" || control.type === "radio") {
          if (control.checked) { values.push(control.value); }
        } else if (control.value) {
          values.push(control.value);
        }
      });
      return values;
    }
    function update() {
      // Document order: a field's controller comes earlier, so its own state is settled first.
      container.querySelectorAll("[data-show-if]").forEach(function (wrapper) {
        var wanted = JSON.parse(wrapper.getAttribute("data-show-values") || "[]");
        var visible = chosen(wrapper.getAttribute("data-show-if")).some(function (value) {
          return wanted.indexOf(value) >= 0;
        });
        wrapper.hidden = !visible;
        wrapper.querySelectorAll("input, select, textarea").forEach(function (control) { control.disabled = !visible; });
      });
    }
    if (container.querySelector("[data-show-if]")) {
      container.querySelectorAll(".condition").forEach(function (hint) { hint.hidden = true; });
      container.addEventListener("change", update);
      update();
    }
  });
});
