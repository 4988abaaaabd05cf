/* Region score grid: keyboard movement, paste from Excel, validation, reasons, one save, conflicts.
 * A plain <table> of <input>s; the server validates everything again. No dependencies.
 * Emptying a saved cell clears it on save (sent as value ""), with an optional reason. */
(function () {
  "use strict";

  var table = document.getElementById("score-grid");
  var configNode = document.getElementById("grid-config");
  if (!table || !configNode) return;
  var config = JSON.parse(configNode.textContent);
  var saveButton = document.getElementById("grid-save");
  var statusNode = document.getElementById("grid-status");
  var messagesNode = document.getElementById("grid-messages");
  var reasonList = document.getElementById("reason-list");
  var conflictPanel = document.getElementById("conflict-panel");
  var conflictList = document.getElementById("conflict-list");
  var cellInfo = document.getElementById("cell-info");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");

  var grid = window.MinshengGrid;
  var rules = new grid.Rules(config);
  var matrix = new grid.Matrix(Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll("input.cell-input"));
  }).filter(function (row) { return row.length; }));
  var byKey = {};
  matrix.each(function (input) {
    byKey[input.dataset.key] = input;
    input.dataset.pendingReason = input.dataset.reason || "";
    input.dataset.clearReason = ""; // the saved reason belongs to the old score, not to its removal
  });
  var maximum = rules.maximumOf(config.max);

  function editable(input) { return input.dataset.editable === "1"; }

  /* {text, number, error} for the input's current value; text is the normalised form ("" clears a saved cell). */
  function check(input) { return rules.check(input.value, config.max, true); }

  function state(input) {
    var result = check(input);
    result.changed = !result.error && result.text !== input.dataset.original;
    if (result.error) result.changed = input.value.trim() !== input.dataset.original;
    result.belowMax = result.number !== undefined && result.number < maximum;
    result.clearing = result.changed && !result.error && result.text === "";
    result.needsReason = result.changed && !result.error && result.belowMax && !input.dataset.pendingReason.trim();
    return result;
  }

  function refresh(input) {
    var s = state(input);
    var cell = input.parentElement;
    cell.classList.toggle("dirty", s.changed);
    cell.classList.toggle("invalid", !!s.error);
    cell.classList.toggle("needs-reason", s.needsReason);
    cell.classList.toggle("clearing", s.clearing);
    input.classList.toggle("is-invalid", !!s.error);
    input.setAttribute("aria-invalid", s.error ? "true" : "false");
    input.placeholder = s.clearing ? "将清空" : "";
    input.title = s.error || (s.clearing ? clearHint(input) : input.dataset.pendingReason || "");
    return s;
  }

  function clearHint(input) {
    var reason = input.dataset.clearReason.trim();
    return "将清空（已保存的值 " + input.dataset.original + "）" + (reason ? "：" + reason : "");
  }

  var reasonSignature = "";
  function update() {
    var dirty = 0, errors = [], needReason = 0, clearing = 0, reasonCells = [];
    matrix.each(function (input) {
      if (!editable(input)) return;
      var s = refresh(input);
      if (s.changed) dirty += 1;
      if (s.error) errors.push(input.dataset.label + "：" + s.error);
      if (s.needsReason) needReason += 1;
      if (s.clearing) clearing += 1;
      if (s.changed && !s.error && (s.belowMax || s.clearing)) reasonCells.push(input);
    });
    renderReasons(reasonCells);
    if (saveButton) saveButton.disabled = dirty === 0 || errors.length > 0 || needReason > 0;
    if (statusNode) {
      var parts = [];
      parts.push(dirty ? dirty + " 处修改未保存" : "没有未保存的修改");
      if (clearing) parts.push("其中 " + clearing + " 格将清空");
      if (needReason) parts.push(needReason + " 处需要填写扣分原因");
      if (errors.length) parts.push(errors.length + " 处错误：" + errors.slice(0, 3).join("；"));
      statusNode.textContent = parts.join("；");
      statusNode.classList.toggle("text-danger", errors.length > 0);
    }
    return { dirty: dirty, errors: errors, needReason: needReason };
  }

  /* Below-maximum scores need their reason; a cleared cell may give one. */
  function clears(input) { return input.value.trim() === ""; }
  function reasonLabel(input) {
    return input.dataset.label + "（" + (clears(input) ? "将清空" : input.value.trim()) + "）";
  }
  function renderReasons(cells) {
    if (!reasonList) return;
    var signature = cells.map(function (input) {
      return input.dataset.key + (clears(input) ? ":clear" : "");
    }).join(",");
    if (signature === reasonSignature) {
      cells.forEach(function (input) {
        var label = reasonList.querySelector('label[for="reason-' + input.dataset.key + '"]');
        if (label) label.textContent = reasonLabel(input);
      });
      return;
    }
    reasonSignature = signature;
    reasonList.textContent = "";
    if (!cells.length) {
      var hint = document.createElement("span");
      hint.className = "text-muted";
      hint.textContent = "低于满分的修改需要在这里填写扣分原因。";
      reasonList.appendChild(hint);
      return;
    }
    cells.forEach(function (input) {
      var optional = clears(input);
      var store = optional ? "clearReason" : "pendingReason";
      var wrapper = document.createElement("div");
      wrapper.className = "mb-2 reason-item" + (optional ? " clear-reason" : "");
      var label = document.createElement("label");
      label.className = "form-label mb-0";
      label.textContent = reasonLabel(input);
      var id = "reason-" + input.dataset.key;
      label.htmlFor = id;
      var field = document.createElement("textarea");
      field.className = "form-control form-control-sm reason-input";
      field.rows = 2;
      field.id = id;
      field.dataset.key = input.dataset.key;
      field.placeholder = optional ? "清空原因（选填）" : "扣分原因（必填）";
      field.value = input.dataset[store];
      field.addEventListener("input", function () {
        input.dataset[store] = field.value;
        if (!optional) field.classList.toggle("is-invalid", !field.value.trim());
        update();
      });
      if (!optional) field.classList.toggle("is-invalid", !field.value.trim());
      wrapper.appendChild(label);
      wrapper.appendChild(field);
      reasonList.appendChild(wrapper);
    });
  }

  function message(text, kind) { grid.showMessage(messagesNode, text, kind); }

  grid.keyboard(table, matrix, {
    isCell: function (node) { return node.classList && node.classList.contains("cell-input"); },
    onEscape: function (input) {
      if (!editable(input)) return;
      input.value = input.dataset.original; // back to the saved value
      update();
    },
    onFocus: showCell,
  });

  table.addEventListener("input", function (event) {
    if (event.target.classList.contains("cell-input")) update();
  });

  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell-input")) return;
    var counts = grid.pasteBlock(event, input, matrix, editable);
    if (counts === null) {
      if (!editable(input)) { event.preventDefault(); message("该单元格不能修改。", "warning"); }
      return; // one value: the browser pastes it, the input event validates
    }
    var cleared = counts.targets.filter(function (target) { return state(target).clearing; }).length;
    var result = update();
    var note = grid.pasteNote(counts, [
      cleared ? cleared + " 格为空，保存时将清空已保存的得分" : "",
    ]);
    if (result.errors.length) note += "；有 " + result.errors.length + " 处错误，请修正";
    message(note, counts.skipped || counts.outside || cleared || result.errors.length ? "warning" : "info");
  });

  var missingNode = document.getElementById("missing-count");
  function refreshMissing() {
    if (!missingNode) return;
    var empty = table.querySelectorAll("td.cell.empty:not(.excluded)").length;
    missingNode.textContent = String(empty);
  }

  var lastShown = null;
  function showCell(input) {
    if (!cellInfo) return;
    lastShown = input;
    cellInfo.textContent = "";
    var lines = [
      ["单元格", input.dataset.label],
      ["已保存的值", input.dataset.excluded ? "不适用（—）" : input.dataset.original || "（未录入）"],
      ["扣分原因", input.dataset.reason || "—"],
      ["最后修改", input.dataset.updatedBy ? input.dataset.updatedBy + " " + input.dataset.updatedAt : "—"],
    ];
    var list = document.createElement("dl");
    list.className = "mb-2";
    lines.forEach(function (pair) {
      var term = document.createElement("dt");
      term.textContent = pair[0];
      var value = document.createElement("dd");
      value.className = "mb-1";
      value.textContent = pair[1];
      list.appendChild(term);
      list.appendChild(value);
    });
    cellInfo.appendChild(list);
    if (!input.dataset.excluded) {
      var link = document.createElement("a");
      link.href = config.historyUrl.replace("/0/0/", "/" + input.dataset.region + "/" + input.dataset.project + "/");
      link.textContent = "查看修改历史";
      link.className = "history-link";
      cellInfo.appendChild(link);
    }
  }

  /* Save: one request with every change. */
  function changes() {
    var list = [];
    matrix.each(function (input) {
      if (!editable(input)) return;
      var s = state(input);
      if (!s.changed || s.error) return;
      list.push({
        region: Number(input.dataset.region),
        project: Number(input.dataset.project),
        value: s.text,
        reason: s.clearing ? input.dataset.clearReason.trim()
          : s.number === maximum ? "" : input.dataset.pendingReason.trim(),
        version: Number(input.dataset.version),
      });
    });
    return list;
  }

  function applySaved(item) {
    var input = byKey[item.key];
    if (!input) return;
    input.dataset.original = item.value;
    input.dataset.version = String(item.version);
    input.dataset.reason = item.reason;
    input.dataset.pendingReason = item.reason;
    input.dataset.clearReason = "";
    input.dataset.updatedBy = item.updated_by;
    input.dataset.updatedAt = item.updated_by ? "刚刚" : "";
    input.value = item.value;
    input.parentElement.classList.remove("conflict");
    input.parentElement.classList.toggle("empty", item.value === "");
    input.parentElement.classList.add("saved");
  }

  function showConflicts(conflicts) {
    if (!conflictPanel) return;
    conflicts.forEach(function (conflict) {
      var input = byKey[conflict.key];
      if (!input) return;
      input.parentElement.classList.add("conflict");
      var item = document.createElement("div");
      item.className = "conflict-item border-bottom pb-2 mb-2";
      item.dataset.key = conflict.key;
      var text = document.createElement("p");
      text.className = "mb-1";
      text.textContent = input.dataset.label + "：您" + (conflict.mine ? "填写的是 " + conflict.mine : "要清空该格") +
        "，但 " + conflict.theirs_by +
        " 已在您打开页面后保存为 " + conflict.theirs + (conflict.theirs_reason ? "（" + conflict.theirs_reason + "）" : "") +
        "。您的值没有保存。";
      var keepMine = document.createElement("button");
      keepMine.type = "button";
      keepMine.className = "btn btn-sm btn-outline-primary me-1 keep-mine";
      keepMine.textContent = "保留我的值";
      keepMine.addEventListener("click", function () {
        input.dataset.version = String(conflict.theirs_version);
        input.parentElement.classList.remove("conflict");
        item.remove();
        hideEmptyConflicts();
        update();
        message(input.dataset.label + (conflict.mine ? "：再次保存时将用您的值 " + conflict.mine + " 覆盖。"
          : "：再次保存时将清空该格。"), "info");
      });
      var takeTheirs = document.createElement("button");
      takeTheirs.type = "button";
      takeTheirs.className = "btn btn-sm btn-outline-secondary take-theirs";
      takeTheirs.textContent = "采用对方的值";
      takeTheirs.addEventListener("click", function () {
        applySaved({ key: conflict.key, value: conflict.theirs, version: conflict.theirs_version,
          reason: conflict.theirs_reason, updated_by: conflict.theirs_by });
        item.remove();
        hideEmptyConflicts();
        update();
      });
      item.appendChild(text);
      item.appendChild(keepMine);
      item.appendChild(takeTheirs);
      var old = conflictList.querySelector('[data-key="' + conflict.key + '"]');
      if (old) old.remove();
      conflictList.appendChild(item);
    });
    conflictPanel.classList.toggle("d-none", !conflictList.children.length);
  }
  function hideEmptyConflicts() { conflictPanel.classList.toggle("d-none", !conflictList.children.length); }

  function clearOldMessages() {
    // a paste note or an earlier error no longer describes the grid once it is saved
    Array.prototype.slice.call(messagesNode.querySelectorAll(".grid-message")).forEach(function (node) { node.remove(); });
  }

  function save() {
    var list = changes();
    if (!list.length) return;
    saveButton.disabled = true;
    statusNode.textContent = "正在保存…";
    grid.postChanges(config.saveUrl, list, csrfInput)
      .then(function (data) {
        if ((data.saved || []).length) clearOldMessages();
        (data.saved || []).forEach(applySaved);
        showConflicts(data.conflicts || []);
        (data.errors || []).forEach(function (error) {
          var input = error.key && byKey[error.key];
          if (input) input.parentElement.classList.add("invalid");
          message(error.message, "danger");
        });
        update();
        refreshMissing();
        if (document.activeElement && byKey[document.activeElement.dataset.key]) showCell(document.activeElement);
        else if (lastShown) showCell(lastShown);
        var saved = (data.saved || []).length, conflicts = (data.conflicts || []).length;
        if (saved) message("已保存 " + saved + " 格。", "success");
        if (conflicts) message(conflicts + " 格在您打开页面后已被他人修改，没有保存，请查看右侧“保存冲突”。", "warning");
      })
      .catch(function () {
        update();
        message("保存失败：无法连接服务器，您的修改仍在页面上，请稍后再试。", "danger");
      });
  }

  if (saveButton) saveButton.addEventListener("click", save);
  window.addEventListener("beforeunload", function (event) {
    if (update().dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  update();
})();
