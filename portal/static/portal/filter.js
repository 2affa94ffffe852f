/* The dashboard's list, narrowed as you type: by any text of a row (number, status, port,
   vessel, customs) and to held containers only. Rows are hidden, never removed, so live
   updates keep working; the count is announced in the page's status line. No library. */
(function () {
  "use strict";
  var table = document.getElementById("watchlist");
  var text = document.getElementById("list-filter");
  var heldOnly = document.getElementById("held-only");
  var count = document.getElementById("list-count");
  if (!table || !text || !heldOnly || !count) { return; }
  var template = count.getAttribute("data-template");

  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = table.querySelectorAll("tbody tr[data-ref]");
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var content = row.textContent.toLowerCase();
      var match = words.every(function (word) { return content.indexOf(word) !== -1; });
      if (heldOnly.checked && !row.classList.contains("held")) { match = false; }
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    var filtered = words.length || heldOnly.checked;
    count.textContent = filtered ? template.replace("{shown}", shown).replace("{total}", rows.length) : "";
  }

  text.addEventListener("input", apply);
  heldOnly.addEventListener("change", apply);
  new MutationObserver(apply).observe(table.tBodies[0], { childList: true });  // a live row replaced
  apply();
}());
