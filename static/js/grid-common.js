/* What both entry grids share: reading a typed score exactly as the server reads it (the marks,
 * limits and messages come from the page's json_script config, written by assessment/rules.py),
 * spreadsheet-like keyboard movement, and pasting a block copied from Excel. No dependencies. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  /* Full-width digits and points typed with a Chinese IME read as ASCII, as on the server. */
  function normalize(text) {
    return String(text).normalize("NFKC").replace(/。/g, ".").trim();
  }

  /* Signed integers of thousandths: no floating point anywhere. Plain decimal notation only, as on
   * the server ("1e0" and "1,5" are not numbers). */
  function thousandths(text) {
    var match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (!match || !/\d/.test(match[2] + (match[3] || ""))) return null;
    var decimals = (match[3] || "").replace(/0+$/, "");
    if (decimals.length > 3) return { tooPrecise: true };
    var value = parseInt(match[2] || "0", 10) * 1000 + parseInt((decimals + "000").slice(0, 3), 10);
    return { value: match[1] === "-" ? -value : value };
  }

  function format(value) {
    var fraction = String(value % 1000);
    while (fraction.length < 3) fraction = "0" + fraction;
    return Math.floor(value / 1000) + "." + fraction;
  }

  /* The rules of one grid: `config` from assessment.rules.client_config(). */
  function Rules(config) {
    this.config = config;
    this.messages = config.messages;
  }
  Rules.prototype.message = function (name, values) { return fill(this.messages[name], values || {}); };
  Rules.prototype.isNotApplicable = function (text) { return this.config.notApplicableMarks.indexOf(text) >= 0; };
  Rules.prototype.maximumOf = function (maximumText) { return thousandths(normalize(maximumText)).value; };
  /* {text, number, error, notApplicable} for a typed value against a maximum given as text ("1.5"). */
  Rules.prototype.check = function (raw, maximumText, notApplicableAllowed) {
    var text = normalize(raw);
    if (text === "") return { text: "" };
    if (this.isNotApplicable(text)) {
      if (notApplicableAllowed) return { text: this.config.notApplicable, notApplicable: true };
      return { text: text, error: this.message("notApplicableRefused", { text: text }) };
    }
    var parsed = thousandths(text);
    if (parsed === null) return { text: text, error: this.message("notANumber", { text: text }) };
    if (parsed.tooPrecise) return { text: text, error: this.message("tooPrecise", { text: text }) };
    if (parsed.value < 0 || parsed.value > this.maximumOf(maximumText)) {
      return { text: text, error: this.message("outOfRange", { maximum: maximumText }) };
    }
    return { text: format(parsed.value), number: parsed.value };
  };
  Rules.prototype.reasonRequired = function (maximumText) {
    return this.message("reasonRequired", { maximum: maximumText });
  };

  function readConfig(id) {
    var node = document.getElementById(id || "grid-config");
    return node ? JSON.parse(node.textContent) : null;
  }

  /* matrix[row][col] of inputs: where an input is, and moving the focus. */
  function Matrix(rows) { this.rows = rows; }
  Matrix.prototype.position = function (input) {
    for (var r = 0; r < this.rows.length; r++) {
      var c = this.rows[r].indexOf(input);
      if (c >= 0) return { row: r, col: c };
    }
    return null;
  };
  Matrix.prototype.at = function (row, col) { return this.rows[row] && this.rows[row][col]; };
  Matrix.prototype.focusAt = function (row, col) {
    var target = this.at(row, col);
    if (!target) return false;
    target.focus();
    return true;
  };
  Matrix.prototype.each = function (callback) {
    this.rows.forEach(function (row) { row.forEach(callback); });
  };

  function allSelected(input) { return input.selectionStart === 0 && input.selectionEnd === input.value.length; }
  function atStart(input) { return input.selectionStart === 0 && input.selectionEnd === 0 || allSelected(input); }
  function atEnd(input) {
    var length = input.value.length;
    return input.selectionStart === length && input.selectionEnd === length || allSelected(input);
  }

  /* Arrow keys (left/right once the caret is at the edge), Enter / Shift+Enter down / up (never submits),
   * Escape restores what the cell held when it was focused; focusing selects, so typing replaces. */
  function keyboard(table, matrix, options) {
    var isCell = options.isCell, onEscape = options.onEscape;
    table.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!isCell(input) || event.altKey || event.ctrlKey || event.metaKey) return;
      var at = matrix.position(input);
      if (!at) return;
      var handled = false;
      switch (event.key) {
        case "ArrowUp": handled = matrix.focusAt(at.row - 1, at.col); break;
        case "ArrowDown": handled = matrix.focusAt(at.row + 1, at.col); break;
        case "ArrowLeft": if (atStart(input)) handled = matrix.focusAt(at.row, at.col - 1); break;
        case "ArrowRight": if (atEnd(input)) handled = matrix.focusAt(at.row, at.col + 1); break;
        case "Enter": matrix.focusAt(at.row + (event.shiftKey ? -1 : 1), at.col); handled = true; break;
        case "Escape": onEscape(input); handled = true; break;
        default: return;
      }
      if (handled) event.preventDefault();
    });
    var justFocused = null;
    table.addEventListener("focusin", function (event) {
      var input = event.target;
      if (!isCell(input)) return;
      input.dataset.focusValue = input.value;
      input.select();
      justFocused = input;
      if (options.onFocus) options.onFocus(input);
    });
    /* A click would put the caret where the mouse is and undo the selection: keep it on the first click. */
    table.addEventListener("mouseup", function (event) {
      if (event.target === justFocused) event.preventDefault();
      justFocused = null;
    });
  }

  /* A block copied from Excel (tab-separated columns, one line per row) pasted from `input`.
   * Returns null for a single value (the browser pastes it), else the counts. */
  function pasteBlock(event, input, matrix, editable) {
    var text = (event.clipboardData || window.clipboardData).getData("text/plain") || "";
    text = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
    if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) return null;
    event.preventDefault();
    var at = matrix.position(input);
    var counts = { pasted: 0, skipped: 0, outside: 0, targets: [] };
    if (!at) return counts;
    text.split("\n").forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var target = matrix.at(at.row + i, at.col + j);
        if (!target) { counts.outside += 1; return; }
        if (!editable(target)) { counts.skipped += 1; return; }
        target.value = value.trim();
        counts.pasted += 1;
        counts.targets.push(target);
      });
    });
    return counts;
  }

  function pasteNote(counts, extra) {
    var note = "已粘贴 " + counts.pasted + " 格";
    (extra || []).forEach(function (part) { if (part) note += "；" + part; });
    if (counts.skipped) note += "；" + counts.skipped + " 格不能修改，已跳过";
    if (counts.outside) note += "；" + counts.outside + " 格超出表格，已忽略";
    return note;
  }

  /* POST a grid's changes as JSON after checking the session (forms.js); resolves to the server's reply
   * ({saved, conflicts, errors, …}), an expired session or an unreadable reply as one error, so that
   * nothing typed is lost; rejects when the server cannot be reached. */
  function postChanges(url, list, csrfInput) {
    var forms = window.MinshengForms;
    var expired = { errors: [{ message: forms ? forms.EXPIRED : "登录已过期，请重新登录后再保存。" }] };
    var ready = forms ? forms.sessionState() : Promise.resolve({ authenticated: true });
    return ready
      .then(function (state) {
        if (!state.authenticated) return null;
        if (forms) forms.useToken(state.csrf);
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfInput ? csrfInput.value : "" },
          body: JSON.stringify({ changes: list }),
        });
      })
      .then(function (response) {
        if (!response || (response.redirected && response.url.indexOf("/login/") >= 0)) return expired;
        return response.json().catch(function () {
          return { errors: [{ message: "服务器错误（" + response.status + "）" }] };
        });
      });
  }

  /* A dismissable message above a grid; the newest four are kept. */
  function showMessage(container, text, kind) {
    var node = document.createElement("div");
    node.className = "alert alert-" + (kind || "info") + " alert-dismissible py-1 px-2 small grid-message";
    node.setAttribute("role", kind === "danger" ? "alert" : "status");
    node.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close py-2";
    close.setAttribute("aria-label", "关闭");
    close.addEventListener("click", function () { node.remove(); });
    node.appendChild(close);
    container.appendChild(node);
    while (container.children.length > 4) container.removeChild(container.firstChild);
  }

  window.MinshengGrid = {
    postChanges: postChanges,
    showMessage: showMessage,
    Rules: Rules,
    Matrix: Matrix,
    readConfig: readConfig,
    normalize: normalize,
    keyboard: keyboard,
    pasteBlock: pasteBlock,
    pasteNote: pasteNote,
  };
})();
