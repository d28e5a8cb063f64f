// The desk's only script. The queue replaces itself when the server says it
// changed (server-sent events); the tab title of every signed-in page counts
// escalations nobody has acknowledged ("(3) 待处理队列 · 热线工作台"); on the
// queue, a new urgent row is announced through an aria-live region and, when this browser turned the sound on
// (remembered in localStorage), with a short WebAudio beep: no sound file.
// Everything else works without JavaScript.
(function () {
  var base = document.title.replace(/^\(\d+\) /, "");
  function countInTitle(n) {
    document.title = n > 0 ? "(" + n + ") " + base : base;
    document.body.setAttribute("data-unacked", String(n));
  }
  var queue = document.getElementById("queue");
  if (!queue) {
    // Every other signed-in page counts them too, from a stream of the
    // count alone (web/title.rs says why a stream and not a timer).
    if (document.body.hasAttribute("data-signed") && window.EventSource) {
      var count = new EventSource("/desk/events/unacked");
      count.addEventListener("unacked", function (e) { countInTitle(Number(e.data)); });
    }
    return;
  }
  var KEY = "hotline.desk.sound";
  var toggle = document.getElementById("sound-toggle");
  var live = document.getElementById("announce");
  var audio = null;

  function soundOn() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function showToggle() {
    var on = soundOn();
    toggle.textContent = on ? toggle.getAttribute("data-on") : toggle.getAttribute("data-off");
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    if (!audio) audio = new Context();
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.type = "sine";
    tone.frequency.value = 880;
    gain.gain.value = 0.2;
    tone.connect(gain);
    gain.connect(audio.destination);
    tone.start(audio.currentTime);
    tone.stop(audio.currentTime + 0.3);
    window.deskBeeps = (window.deskBeeps || 0) + 1;
  }

  if (toggle) {
    toggle.hidden = false;
    showToggle();
    toggle.addEventListener("click", function () {
      try { window.localStorage.setItem(KEY, soundOn() ? "off" : "on"); } catch (e) { /* private mode */ }
      showToggle();
      if (soundOn()) beep();
    });
  }

  function urgentRows() {
    var found = {};
    var rows = queue.querySelectorAll("tr.urgent[data-ticket]");
    for (var i = 0; i < rows.length; i++) {
      found[rows[i].getAttribute("data-ticket")] = rows[i].getAttribute("data-announce") || "";
    }
    return found;
  }

  var known = urgentRows();

  function changed() {
    var count = queue.querySelector("#unacked");
    countInTitle(count ? Number(count.getAttribute("data-count")) : 0);
    var now = urgentRows();
    var fresh = [];
    for (var ticket in now) {
      if (!Object.prototype.hasOwnProperty.call(known, ticket)) fresh.push(now[ticket]);
    }
    known = now;
    if (fresh.length === 0) return;
    if (live) live.textContent = queue.getAttribute("data-announce") + "：" + fresh.join("；");
    if (soundOn()) beep();
  }

  changed();
  if (!window.EventSource) return;
  var events = new EventSource("/desk/events" + window.location.search);
  events.addEventListener("queue", function (e) {
    queue.innerHTML = e.data;
    queue.setAttribute("data-updated", String(Date.now()));
    changed();
  });
})();
