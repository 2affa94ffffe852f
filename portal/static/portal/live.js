/* The forwarders' dashboard, live: subscribe to the watched containers and shipments over
   /ws/track/ and, for every event pushed, re-render the affected rows on the server
   (/portal/row/), so the page always shows what the status rules and visibility say.
   Holds and releases are announced in the page's live region, timed in the reader's zone. No library. */
(function () {
  "use strict";
  var subscribe = JSON.parse(document.getElementById("live-subscribe").textContent);
  var labels = JSON.parse(document.getElementById("live-labels").textContent);
  var state = document.getElementById("live-state");
  var alerts = document.getElementById("alerts");
  var NOTIFY = { HOLD: true, INSP: true, DOCR: true, REFU: true, RLSD: true };
  var delay = 1000;

  function refreshRow(kind, ref) {
    var row = document.getElementById("row-" + kind + "-" + ref);
    if (!row) { return; }
    var url = "/portal/row/?kind=" + encodeURIComponent(kind) + "&ref=" + encodeURIComponent(ref);
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html) { return; }
      var body = document.createElement("tbody");
      body.innerHTML = html.trim();
      var fresh = body.firstElementChild;
      if (!fresh) { return; }
      fresh.classList.add("changed");
      row.replaceWith(fresh);
    });
  }

  // Desktop notifications, for a forwarder whose dashboard is in a background tab: asked for
  // only when the forwarder presses the button, shown only while permission stands.
  var ask = document.getElementById("notify-me");
  function notify(text, reference) {
    if (!("Notification" in window) || Notification.permission !== "granted") { return; }
    var note = new Notification(labels.notification_title, { body: text, tag: "logihub-" + reference });
    note.onclick = function () { window.focus(); note.close(); };
  }
  function showPermission() {
    if (!ask) { return; }
    if (!("Notification" in window)) { ask.hidden = true; return; }
    ask.hidden = Notification.permission !== "default";
    var on = document.getElementById("notify-on");
    if (on) { on.hidden = Notification.permission !== "granted"; }
  }
  if (ask) {
    ask.addEventListener("click", function () {
      Notification.requestPermission().then(showPermission);
    });
    showPermission();
  }

  function announce(event) {
    var code = event.customsEventTypeCode;
    if (event.eventType !== "CUSTOMS" || !NOTIFY[code] || !event.equipmentReference) { return; }
    var text = labels.held.replace("%(container)s", event.equipmentReference)
      .replace("%(state)s", (labels.customs && labels.customs[code]) || code);
    if (event.customsAuthority) { text += " (" + event.customsAuthority + ")"; }
    var none = alerts.querySelector(".none");
    if (none) { none.remove(); }
    var item = document.createElement("li");
    var link = document.createElement("a");
    item.className = code === "RLSD" ? "released" : "held";
    link.href = "/portal/containers/" + encodeURIComponent(event.equipmentReference) + "/";
    link.textContent = event.equipmentReference;
    if (text.indexOf(event.equipmentReference) === 0) {
      item.appendChild(link);
      text = text.slice(event.equipmentReference.length);
    }
    item.appendChild(document.createTextNode(text + " "));
    if (event.eventDateTime) {
      var time = document.createElement("time");
      time.setAttribute("datetime", event.eventDateTime);
      time.setAttribute("data-local", "");
      time.textContent = event.eventDateTime;
      item.appendChild(time);
      if (window.logihubLocalTimes) { window.logihubLocalTimes(item); }
    }
    alerts.insertBefore(item, alerts.firstChild);
    notify(item.textContent, event.equipmentReference);
  }

  function onEvent(event) {
    if (event.equipmentReference) { refreshRow("container", event.equipmentReference); }
    (event.documentReferences || []).forEach(function (ref) {
      if (ref.documentReferenceType === "BKG" || ref.documentReferenceType === "TRD") {
        refreshRow("shipment", ref.documentReferenceValue);
      }
    });
    announce(event);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/track/");
    socket.onopen = function () {
      delay = 1000;
      // the server takes at most 500 subscriptions a connection: the first rows get live updates
      socket.send(JSON.stringify({
        action: "subscribe",
        containers: subscribe.containers.slice(0, 400),
        shipments: subscribe.shipments.slice(0, 50)
      }));
    };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "subscribed") {
        state.textContent = labels.connected;
        document.body.setAttribute("data-live", "on");
      } else if (data.type === "event") {
        onEvent(data.event);
      } else if (data.type === "withdrawn") {
        onEvent(data);  // a replaced or cancelled report: the rows it touched are rendered again
      }
    };
    socket.onclose = function () {
      document.body.setAttribute("data-live", "off");
      state.textContent = labels.disconnected;
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  if (subscribe.containers.length || subscribe.shipments.length) { connect(); }
}());
