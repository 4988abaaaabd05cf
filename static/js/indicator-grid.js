/* Department grid (rows = departments, columns = indicators with their reasons): keyboard movement
 * and paste from Excel between the score inputs, and marking of the changed cells.
 * The page stays a plain form posted as is; the server validates everything. No dependencies. */
(function () {
  "use strict";

  var table = document.getElementById("indicator-grid");
  if (!table || !table.tBodies.length) return;
  var statusNode = document.getElementById("indicator-status");
  var messagesNode = document.getElementById("indicator-messages");

  /* matrix[row][col]: the score inputs, one row per department, one column per indicator. */
  var matrix = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll("input.indicator-score"));
  }).filter(function (row) { return row.length; });
  var cells = []; // {score, reason} per department × indicator
  matrix.forEach(function (row) {
    row.forEach(function (input) {
      var reason = table.querySelector('input.indicator-reason[data-key="' + input.dataset.key + '"]');
      cells.push({ score: input, reason: reason });
    });
  });

  function isScore(node) { return node && node.classList && node.classList.contains("indicator-score"); }
  function editable(input) { return !input.readOnly && !input.disabled; }

  /* Below the maximum? Scores compared as integers of thousandths; anything unparsable is left to the server. */
  function thousandths(text) {
    var match = /^(\d+)(?:\.(\d{0,3})0*)?$/.exec(text.trim());
    if (!match) return null;
    return parseInt(match[1], 10) * 1000 + parseInt(((match[2] || "") + "000").slice(0, 3), 10);
  }

  /* A cell is saved when its score or its reason differs from the stored text (as the server decides). */
  function refresh(cell) {
    var score = cell.score, reason = cell.reason;
    var text = score.value.trim();
    var reasonText = reason ? reason.value.trim() : "";
    var scoreChanged = text !== score.dataset.original;
    var reasonChanged = !!reason && reasonText !== reason.dataset.original;
    var changed = scoreChanged || reasonChanged;
    var clearing = changed && text === "" && score.dataset.original !== "";
    var value = thousandths(text), maximum = thousandths(score.dataset.max || "");
    var needsReason = changed && !clearing && value !== null && maximum !== null && value < maximum && !reasonText;
    score.parentElement.classList.toggle("dirty", changed);
    score.parentElement.classList.toggle("clearing", clearing);
    score.classList.toggle("changed", scoreChanged);
    score.placeholder = clearing ? "将清空" : "";
    if (reason) {
      reason.parentElement.classList.toggle("dirty", changed);
      reason.parentElement.classList.toggle("needs-reason", needsReason);
      reason.classList.toggle("changed", reasonChanged);
      reason.placeholder = needsReason ? "低于满分，请填写原因" : "";
    }
    return { changed: changed, clearing: clearing, needsReason: needsReason };
  }

  function update() {
    var dirty = 0, clearing = 0, needReason = 0;
    cells.forEach(function (cell) {
      var s = refresh(cell);
      if (s.changed) dirty += 1;
      if (s.clearing) clearing += 1;
      if (s.needsReason) needReason += 1;
    });
    if (statusNode) {
      var parts = [dirty ? dirty + " 项修改未保存" : "没有未保存的修改"];
      if (clearing) parts.push("其中 " + clearing + " 项将清空");
      if (needReason) parts.push(needReason + " 项低于满分，需要填写原因");
      statusNode.textContent = parts.join("；");
    }
    return { dirty: dirty };
  }

  function message(text, kind) {
    if (!messagesNode) return;
    var node = document.createElement("div");
    node.className = "alert alert-" + (kind || "info") + " py-1 px-2 small indicator-message";
    node.setAttribute("role", "status");
    node.textContent = text;
    messagesNode.appendChild(node);
    while (messagesNode.children.length > 3) messagesNode.removeChild(messagesNode.firstChild);
  }

  /* Keyboard movement between the score inputs */
  function position(input) {
    for (var r = 0; r < matrix.length; r++) {
      var c = matrix[r].indexOf(input);
      if (c >= 0) return { row: r, col: c };
    }
    return null;
  }
  function focusAt(row, col) {
    var target = matrix[row] && matrix[row][col];
    if (!target) return false;
    target.focus();
    return true;
  }
  function allSelected(input) { return input.selectionStart === 0 && input.selectionEnd === input.value.length; }
  function atStart(input) { return input.selectionStart === 0 && input.selectionEnd === 0 || allSelected(input); }
  function atEnd(input) {
    var length = input.value.length;
    return input.selectionStart === length && input.selectionEnd === length || allSelected(input);
  }

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isScore(input) || event.altKey || event.ctrlKey || event.metaKey) return;
    var at = position(input);
    if (!at) return;
    var handled = false;
    switch (event.key) {
      case "ArrowUp": handled = focusAt(at.row - 1, at.col); break;
      case "ArrowDown": handled = focusAt(at.row + 1, at.col); break;
      case "ArrowLeft": if (atStart(input)) handled = focusAt(at.row, at.col - 1); break;
      case "ArrowRight": if (atEnd(input)) handled = focusAt(at.row, at.col + 1); break;
      case "Enter": // moves like a spreadsheet instead of submitting the form
        focusAt(at.row + (event.shiftKey ? -1 : 1), at.col);
        handled = true;
        break;
      case "Escape":
        if (input.dataset.focusValue !== undefined && editable(input)) {
          input.value = input.dataset.focusValue;
          update();
        }
        handled = true;
        break;
      default: return;
    }
    if (handled) event.preventDefault();
  });

  var justFocused = null;
  table.addEventListener("focusin", function (event) {
    var input = event.target;
    if (!isScore(input)) return;
    input.dataset.focusValue = input.value;
    input.select(); // typing replaces the value, as in a spreadsheet
    justFocused = input;
  });
  /* A click would put the caret where the mouse is and undo the selection: keep it on the first click. */
  table.addEventListener("mouseup", function (event) {
    if (event.target === justFocused) event.preventDefault();
    justFocused = null;
  });

  table.addEventListener("input", function (event) {
    if (event.target.tagName === "INPUT") update();
  });

  /* Paste a block copied from Excel (tab-separated columns, one line per row) from the focused score. */
  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!isScore(input)) return;
    var text = (event.clipboardData || window.clipboardData).getData("text/plain") || "";
    text = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
    if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) return; // one value: the browser pastes it
    event.preventDefault();
    var at = position(input);
    if (!at) return;
    var pasted = 0, skipped = 0, outside = 0;
    text.split("\n").forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var target = matrix[at.row + i] && matrix[at.row + i][at.col + j];
        if (!target) { outside += 1; return; }
        if (!editable(target)) { skipped += 1; return; }
        target.value = value.trim();
        pasted += 1;
      });
    });
    update();
    var note = "已粘贴 " + pasted + " 格";
    if (skipped) note += "；" + skipped + " 格不能修改，已跳过";
    if (outside) note += "；" + outside + " 格超出表格，已忽略";
    message(note + "。点“保存修改”后保存。", skipped || outside ? "warning" : "info");
  });

  update();
})();
