// Suggestions as people type in the search box: an enhancement of a form that works
// without it. A listbox under the input (ARIA combobox pattern): arrow keys move, Enter
// chooses, Escape closes; a title goes to its page, a word fills the box and searches.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) { return; }
  var form = input.form;
  var list = document.createElement("ul");
  list.id = input.id + "-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  input.parentNode.appendChild(live);
  var timer = null, active = -1, items = [], asked = "";

  function close() {
    list.hidden = true; list.innerHTML = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function choose(item) {
    if (item.url) { window.location.href = item.url; return; }
    input.value = item.text; close(); form.submit();
  }
  function mark(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].id); }
  }
  function show(found) {
    list.innerHTML = ""; items = found; active = -1;
    if (!found.length) { close(); return; }
    found.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "suggestion suggestion-" + item.kind;
      option.textContent = item.text;
      option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    live.textContent = found.length + " ⋯";
  }
  function ask() {
    var typed = input.value.trim();
    if (!typed) { close(); return; }
    if (typed === asked) { return; }
    asked = typed;
    fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
      .then(function (data) { if (input.value.trim() === typed) { show(data.suggestions || []); } })
      .catch(function () { close(); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % items.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
