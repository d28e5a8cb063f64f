// The desk's only script: the queue replaces itself when the server says it
// changed (server-sent events). Everything else works without JavaScript.
(function () {
  var queue = document.getElementById("queue");
  if (!queue || !window.EventSource) return;
  var events = new EventSource("/desk/events" + window.location.search);
  events.addEventListener("queue", function (e) {
    queue.innerHTML = e.data;
    queue.setAttribute("data-updated", String(Date.now()));
  });
})();
