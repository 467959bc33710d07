// Firebreak's own script: no inline scripts anywhere (the CSP allows only 'self').
// Every htmx request carries the session's CSRF token; pages that need more (the
// calendar, the mention chart, the editor) register an initialiser below by the id of
// their root element.
"use strict";
(function () {
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });
  var initialisers = {};
  window.Firebreak = {
    csrfToken: csrfToken,
    on: function (id, fn) { initialisers[id] = fn; },
    data: function (id) {
      var node = document.getElementById(id);
      return node ? JSON.parse(node.textContent) : null;
    },
  };
  function start(root) {
    Object.keys(initialisers).forEach(function (id) {
      var node = (root || document).querySelector("#" + id);
      if (node && !node.dataset.started) {
        node.dataset.started = "1";
        initialisers[id](node);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:load", function (event) { start(event.target); });
})();
