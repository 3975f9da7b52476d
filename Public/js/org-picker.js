// The organization picker: turns each [data-org-picker] field into a type-ahead combobox (ARIA 1.2
// combobox with a listbox popup). The chosen organization's id goes in a hidden input carrying the
// field's original name; typed text that was not chosen is sent as it is, and the server resolves an
// exact name or path. Without this script the text box itself is posted (same name), so the form still
// works. No inline script or style: CSP-safe.
(function () {
  "use strict";

  function setup(field) {
    if (field.hasAttribute("data-org-picker-ready")) { return; }
    field.setAttribute("data-org-picker-ready", "");
    var input = field.querySelector("input[type='text']");
    if (!input) { return; }
    var lookup = field.getAttribute("data-lookup");
    var listID = input.id + "-listbox";
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.getAttribute("data-org-id") || input.value;
    hidden.setAttribute("data-org-picker-value", "");
    input.removeAttribute("name");
    input.parentNode.insertBefore(hidden, input.nextSibling);

    var list = document.createElement("ul");
    list.id = listID;
    list.className = "org-picker-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "匹配的组织");
    list.hidden = true;
    hidden.parentNode.insertBefore(list, hidden.nextSibling);

    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(status, list.nextSibling);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listID);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var serial = 0;

    // Closing also drops a search still on its way: its answer must not reopen the list after
    // Escape or after the focus has moved on.
    function close() {
      clearTimeout(timer);
      serial++;
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role='option']");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      hidden.value = item.id;
      input.value = item.path;
      input.setAttribute("data-org-id", item.id);
      status.textContent = "已选择 " + item.path;
      close();
    }

    function render(organizations) {
      items = organizations;
      list.textContent = "";
      if (!organizations.length) {
        var none = document.createElement("li");
        none.className = "empty";
        none.textContent = "没有匹配的组织";
        list.appendChild(none);
      }
      organizations.forEach(function (org, i) {
        var li = document.createElement("li");
        li.id = listID + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-org-id", org.id);
        li.appendChild(document.createTextNode(org.name));
        var path = document.createElement("small");
        path.textContent = org.path;
        li.appendChild(path);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = organizations.length ? "找到 " + organizations.length + " 个组织，用上下方向键选择" : "没有匹配的组织";
    }

    function search() {
      var mine = ++serial;
      var url = lookup + (lookup.indexOf("?") < 0 ? "?" : "&") + "limit=10&q=" + encodeURIComponent(input.value.trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { organizations: [] }; })
        .then(function (body) {
          if (mine === serial && document.activeElement === input) { render(body.organizations || []); }
        })
        .catch(function () { if (mine === serial) { close(); } });
    }

    input.addEventListener("input", function () {
      // Typed, not chosen: the text goes as it is (the server accepts an exact name or path).
      hidden.value = input.value;
      input.removeAttribute("data-org-id");
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) { highlight(active + 1); } else { search(); }
      } else if (event.key === "ArrowUp") {
        if (open) { event.preventDefault(); highlight(active - 1); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); }
        close();
      }
    });
    // Leaving the box closes the list, unless the focus came back meanwhile (a cleared box is blurred
    // and refocused by typing): closing then would drop the search the typing started.
    input.addEventListener("blur", function () {
      setTimeout(function () { if (document.activeElement !== input) { close(); } }, 150);
    });
  }

  function start() { document.querySelectorAll("[data-org-picker]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
