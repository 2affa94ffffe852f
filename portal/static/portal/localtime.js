/* Times in the reader's own time zone. The server writes each moment that belongs to no place
   (an alert, a message received, a reader last seen) as <time data-local datetime="...Z">
   in UTC; this rewrites it in the browser's time zone with its offset ("2026-11-25 16:12
   UTC+08:00") and keeps the UTC text as the title. Times of a place (a milestone at a port)
   are written in that place's time by the server and carry no data-local. No library. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function offset(date) {
    var minutes = -date.getTimezoneOffset();
    if (minutes === 0) { return "UTC"; }
    var sign = minutes > 0 ? "+" : "-";
    minutes = Math.abs(minutes);
    return "UTC" + sign + pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }

  function show(element) {
    var date = new Date(element.getAttribute("datetime"));
    if (isNaN(date.getTime())) { return; }
    var text = date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      " " + pad(date.getHours()) + ":" + pad(date.getMinutes());
    if (element.hasAttribute("data-seconds")) { text += ":" + pad(date.getSeconds()); }
    if (!element.title) { element.title = element.textContent.trim(); }
    element.textContent = text + " " + offset(date);
    element.removeAttribute("data-local");
    element.setAttribute("data-localised", "");
  }

  function hour(element) {  // a chart's axis label: the hour on the reader's clock
    var date = new Date(element.getAttribute("data-local-hour"));
    if (isNaN(date.getTime())) { return; }
    element.textContent = pad(date.getHours()) + ":" + pad(date.getMinutes());
    element.removeAttribute("data-local-hour");
  }

  window.logihubLocalTimes = function (root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("time[data-local]"), show);
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-local-hour]"), hour);
  };
  window.logihubLocalTimes(document);
}());
