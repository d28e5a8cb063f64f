// The call form's live lookups; the form works without them. As the number
// is typed its history shows; as the compound is typed the server suggests
// (matched as the chat matches a typed place); Enter on the number moves on
// to the compound instead of filing.
(function () {
  var form = document.getElementById("call");
  if (!form || !window.fetch) return;
  var phone = document.getElementById("phone");
  var compound = document.getElementById("compound");
  var caller = document.getElementById("caller");
  var list = document.getElementById("compound-list");
  function later(fn) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, 200);
    };
  }
  function load(url, into) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) into.innerHTML = html; })
      .catch(function () {});
  }
  function lookup() {
    return load("/desk/call/caller?phone=" + encodeURIComponent(phone.value), caller);
  }
  phone.addEventListener("input", later(lookup));
  phone.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return;
    e.preventDefault();
    lookup();
    compound.focus();
  });
  compound.addEventListener("input", later(function () {
    load("/desk/call/places?q=" + encodeURIComponent(compound.value), list);
  }));
})();
