// Live updates of an incident page. The server announces every change
// (server-sent events); the page then fetches its live part again and puts
// it in place, unless someone is typing in a form of it: then it waits
// until they leave the field. Without script the page works the same,
// with a reload.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource || !window.fetch) return;
  var waiting = false;
  function typing() {
    var a = document.activeElement;
    return a && live.contains(a) && (a.tagName === "TEXTAREA" || (a.tagName === "INPUT" && a.type === "text")) && a.value !== "";
  }
  function refresh() {
    if (typing()) { waiting = true; return; }
    fetch(live.getAttribute("data-fragment"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        // What someone opened stays open.
        var open = Array.prototype.map.call(live.querySelectorAll("details[open][id]"), function (d) { return d.id; });
        live.innerHTML = html;
        open.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
        document.body.setAttribute("data-updated", String(Date.now()));
      })
      .catch(function () { /* the next change tries again */ });
  }
  var source = new EventSource(live.getAttribute("data-events"));
  // The time since activation, and what is late, move on by themselves.
  setInterval(refresh, 60000);
  source.addEventListener("change", refresh);
  document.addEventListener("focusout", function () {
    if (waiting) { waiting = false; setTimeout(refresh, 0); }
  });
})();
