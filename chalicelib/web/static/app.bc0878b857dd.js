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
  // A double click must not send a form twice (two drafts, two decisions): once a form
  // is on its way its buttons are disabled. After the event, so the pressed button's
  // name and value still go with it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (form) {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {  // back to a page the browser kept: its forms work again
      document.querySelectorAll("form button").forEach(function (b) { b.disabled = false; });
    }
  });
  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:load", function (event) { start(event.target); });
})();
