/* ordbruk report tables: sort by clicking a header, filter by typing, show every row.
   Offline, no library: inlined once per report by report/html.py report_write. The table is
   plain HTML without this script (and in print); the script only adds controls to it. */
(function () {
  "use strict";
  function num(text) {
    var t = text.replace(/[,\u2009\s%]|pp$/g, "");  // "27.3%", "11.6 pp"
    if (t === "") return NaN;
    if (t === "inf") return Infinity;
    if (t === "-inf") return -Infinity;
    return Number(t);
  }
  function setup(wrap) {
    var table = wrap.querySelector("table");
    var body = table && table.tBodies[0];
    if (!body || wrap.dataset.ready) return;
    wrap.dataset.ready = "1";
    var rows = Array.prototype.slice.call(body.rows);
    // rows hidden in the HTML are beyond the preview: shown by "Show all" or a filter
    rows.forEach(function (r) { if (r.hidden) r.dataset.more = "1"; });
    var total = Number(wrap.dataset.total || rows.length);
    var state = { all: false, query: "", sorted: "" };
    var n_preview = rows.filter(function (r) { return !r.dataset.more; }).length;
    function fmt(n) { return n.toLocaleString("en-US"); }  // 1,234: the report's format
    var bar = document.createElement("div");
    bar.className = "ordbruk-table-bar";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "ordbruk-filter";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter the rows of this table");
    var status = document.createElement("span");
    status.className = "ordbruk-table-status";
    var more = document.createElement("button");
    more.type = "button";
    more.className = "ordbruk-show-all";
    bar.appendChild(input);
    bar.appendChild(status);
    bar.appendChild(more);
    wrap.parentNode.insertBefore(bar, wrap);
    // a row's text for the filter: its cells' texts apart, so a match never spans two cells
    function text(r) {
      return Array.prototype.map.call(r.cells, function (c) { return c.textContent; })
        .join("\u001f").toLowerCase();
    }
    var texts = rows.map(text);
    function update() {
      var q = state.query, shown = 0;
      rows.forEach(function (r, i) {
        // sorted: the preview is the first rows of the sorted order of every embedded row
        var on = q ? texts[i].indexOf(q) >= 0
          : state.all || (state.sorted ? i < n_preview : !r.dataset.more);
        r.hidden = !on;
        if (on) shown += 1;
      });
      var where = wrap.dataset.csv ? "; all " + fmt(total) + " in " + wrap.dataset.csv : "";
      status.textContent = q
        ? fmt(shown) + " of " + fmt(rows.length) + " rows match" +
          (rows.length < total ? " (of the " + fmt(rows.length) + " rows in this report" + where + ")" : "")
        : fmt(shown) + " of " + fmt(total) + " rows shown" +
          (state.sorted ? ", sorted by " + state.sorted +
            (rows.length < total && !state.all ? " among the " + fmt(rows.length) + " rows in this report" : "") : "") +
          (shown < total ? where : "");
      var cut = rows.some(function (r) { return !!r.dataset.more; });
      more.hidden = !cut || !!q;
      more.textContent = state.all ? "Show the preview"
        : rows.length < total ? "Show all " + fmt(rows.length) + " rows in this report"
        : "Show all " + fmt(rows.length) + " rows";
    }
    input.addEventListener("input", function () {
      state.query = input.value.trim().toLowerCase();
      update();
    });
    more.addEventListener("click", function () { state.all = !state.all; update(); });
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.classList.add("sortable");
      th.title = "Sort by this column";
      function sort() {
        var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
        // first click: numbers largest first, except p-values (p, p_*, *_p) and text
        var name = th.textContent.trim();
        var p = /^(p|p_.*|.*_p)$/.test(name);
        if (!th.getAttribute("aria-sort")) dir = th.classList.contains("num") && !p ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        var numeric = th.classList.contains("num");
        var keyed = rows.map(function (r, i) {
          var t = r.cells[col] ? r.cells[col].textContent : "";
          return { r: r, i: i, k: numeric ? num(t) : t };
        });
        keyed.sort(function (a, b) {
          var x = a.k, y = b.k, c;
          if (numeric) {
            var xn = isNaN(x), yn = isNaN(y);
            c = xn || yn ? (xn && yn ? 0 : xn ? 1 : -1) : (x < y ? -1 : x > y ? 1 : 0) * dir;
          } else {
            c = x === "" || y === "" ? (x === y ? 0 : x === "" ? 1 : -1) : x.localeCompare(y, "sv") * dir;
          }
          return c || a.i - b.i;
        });
        keyed.forEach(function (k) { body.appendChild(k.r); });
        rows = keyed.map(function (k) { return k.r; });
        texts = rows.map(text);
        state.sorted = name + (dir > 0 ? " (ascending)" : " (descending)");
        update();
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
    update();
  }
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll(".ordbruk-table-wrap"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
