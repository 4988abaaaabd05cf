/* What every form of the site gets (loaded by base.html; no inline scripts anywhere):
 * - data-warn-unsaved: the browser asks before leaving the page with unsaved changes
 *   (a link, 退出登录, closing the tab);
 * - data-keep-on-expiry: before posting, ask /session/ whether the user is still signed in; if not,
 *   keep the page and what was typed and say so ("登录已过期…"); the fresh CSRF token is put in;
 * - data-confirm="…": a confirmation with that text before posting (结束录入, 发布, 重新开放);
 * - input[data-filter-select=ID]: typing filters the options of the select ID (the 加扣分 unit list).
 * (Print buttons and auto-submitting selects are static/js/minsheng.js's.)
 * No dependencies. */
(function () {
  "use strict";

  var SESSION_URL = document.documentElement.dataset.sessionUrl || "/session/";
  var EXPIRED = "登录已过期：请在新窗口重新登录后再点保存，您的修改仍在页面上。";
  var OFFLINE = "无法连接服务器，您的修改仍在页面上，请稍后再试。";

  function serialize(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.type === "hidden" || element.type === "submit") return;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) return;
      parts.push(element.name + "=" + element.value);
    });
    return parts.join("&");
  }

  var watched = [];
  var leaving = false; // a watched form is being posted: its changes are going with it, no warning
  function anyDirty() {
    return watched.some(function (form) {
      // data-unsaved: the page came back with the user's values not saved (a conflict, an error)
      return form.dataset.unsaved === "1" || serialize(form) !== form.dataset.initialState;
    });
  }
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !anyDirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  /* {authenticated, csrf} of the current session; rejects when the server cannot be reached. */
  function sessionState() {
    return fetch(SESSION_URL, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
  }

  function useToken(token) {
    if (!token) return;
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
  }

  function showProblem(form, text) {
    var node = form.querySelector(".session-problem");
    if (!node) {
      node = document.createElement("div");
      node.className = "alert alert-danger session-problem";
      node.setAttribute("role", "alert");
      form.insertBefore(node, form.firstChild);
    }
    node.textContent = text + " ";
    if (text === EXPIRED) {
      var link = document.createElement("a");
      link.href = "/login/";
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "在新窗口登录";
      node.appendChild(link);
    }
    node.scrollIntoView({ block: "center" });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.dataset.checked === "1") { leaving = leaving || watched.indexOf(form) >= 0; return; } // asked already
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); return; }
    if (!form.hasAttribute("data-keep-on-expiry")) { leaving = leaving || watched.indexOf(form) >= 0; return; }
    event.preventDefault();
    var submitter = event.submitter;
    sessionState().then(function (state) {
      if (!state.authenticated) { showProblem(form, EXPIRED); return; }
      useToken(state.csrf);
      var old = form.querySelector(".session-problem");
      if (old) old.remove();
      form.dataset.checked = "1";
      leaving = watched.indexOf(form) >= 0;
      if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
    }).catch(function () { showProblem(form, OFFLINE); });
  });

  function filterSelect(input) {
    var select = document.getElementById(input.dataset.filterSelect);
    if (!select) return;
    input.addEventListener("input", function () {
      var text = input.value.trim();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !text || !option.value || option.text.indexOf(text) >= 0;
        option.hidden = !match;
        if (match && option.value && !first) first = option;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (option) { return !option.hidden; });
      });
      var current = select.selectedIndex < 0 ? null : select.options[select.selectedIndex];
      if (first && (!current || !current.value || current.hidden)) first.selected = true;
    });
  }

  function start() {
    document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
      form.dataset.initialState = serialize(form);
      watched.push(form);
    });
    document.querySelectorAll("input[data-filter-select]").forEach(filterSelect);
  }

  window.MinshengForms = { sessionState: sessionState, useToken: useToken, EXPIRED: EXPIRED };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
