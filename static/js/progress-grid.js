/* Progress and information entry grids: one row per record (a target's month, a unit's month), a few
 * inputs per row, one save for every changed row, conflicts shown with both values.
 * Keyboard and paste come from grid-common.js; the server checks everything again. No dependencies.
 *
 * Markup: table.progress-grid > tbody > tr.progress-row[data-id][data-version][data-label][data-editable]
 * with optional data-previous-<field> (last month's cumulative values) and data-rule="information";
 * inputs input.cell-input[data-field][data-kind=amount|count|text][data-original].
 * Config (json_script "progress-config"): {saveUrl, decimals, noteMax, labels: {field: 名称}}. */
(function () {
  "use strict";

  var table = document.querySelector("table.progress-grid");
  var configNode = document.getElementById("progress-config");
  if (!table || !configNode || !window.MinshengGrid) return;
  var config = JSON.parse(configNode.textContent);
  var grid = window.MinshengGrid;
  var saveButton = document.getElementById("grid-save");
  var statusNode = document.getElementById("grid-status");
  var messagesNode = document.getElementById("grid-messages");
  var conflictPanel = document.getElementById("conflict-panel");
  var conflictList = document.getElementById("conflict-list");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var decimals = config.decimals === undefined ? 2 : config.decimals;

  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.progress-row"));
  var byId = {};
  rows.forEach(function (tr) { byId[tr.dataset.id] = tr; });
  var matrix = new grid.Matrix(rows.map(function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll("input.cell-input"));
  }).filter(function (inputs) { return inputs.length; }));

  function editable(input) { return input.closest("tr").dataset.editable === "1"; }
  function inputs(tr) { return Array.prototype.slice.call(tr.querySelectorAll("input.cell-input")); }
  function label(field) { return (config.labels && config.labels[field]) || field; }

  /* A decimal as an integer of hundredths (no floating point); null if it is not a plain number. */
  function scaled(text, places) {
    var match = /^(\d*)(?:\.(\d*))?$/.exec(text);
    if (!match || !/\d/.test(match[1] + (match[2] || ""))) return null;
    var fraction = (match[2] || "").replace(/0+$/, "");
    if (fraction.length > places) return { tooPrecise: true };
    var padded = (fraction + "0000000000").slice(0, places);
    return { value: BigInt(match[1] || "0") * BigInt(Math.pow(10, places)) + BigInt(padded || "0") };
  }

  /* {text, value, error} of one input. */
  function checkInput(input) {
    var kind = input.dataset.kind;
    var text = kind === "text" ? input.value.trim() : grid.normalize(input.value);
    var name = label(input.dataset.field);
    if (kind === "text") {
      if (text.length > (config.noteMax || 500)) return { text: text, error: name + "最多 " + config.noteMax + " 个字" };
      return { text: text };
    }
    if (text === "") return { text: "" };
    if (/^[+-]/.test(text)) {
      return { text: text, error: text.charAt(0) === "-" ? name + "不能为负数" : name + "“" + text + "”不是数字" };
    }
    var places = kind === "count" ? 0 : decimals;
    var parsed = scaled(text, places);
    if (parsed === null) return { text: text, error: name + "“" + text + "”不是数字" };
    if (parsed.tooPrecise) {
      return { text: text, error: kind === "count" ? name + "应为整数" : name + "最多保留 " + places + " 位小数" };
    }
    return { text: text, value: parsed.value, places: places };
  }

  function compare(a, b) { return a.value === undefined || b.value === undefined ? 0 : (a.value < b.value ? -1 : a.value > b.value ? 1 : 0); }

  /* The row's state: changed, errors, and whether a decrease lacks its reason. */
  function rowState(tr) {
    var state = { changed: false, errors: [], values: {}, checks: {} };
    inputs(tr).forEach(function (input) {
      var checked = checkInput(input);
      state.checks[input.dataset.field] = checked;
      state.values[input.dataset.field] = checked.text;
      var changed = checked.text !== input.dataset.original;
      input.parentElement.classList.toggle("dirty", changed);
      input.parentElement.classList.toggle("invalid", !!checked.error);
      input.classList.toggle("is-invalid", !!checked.error);
      input.setAttribute("aria-invalid", checked.error ? "true" : "false");
      input.title = checked.error || "";
      if (changed) state.changed = true;
      if (checked.error) state.errors.push(checked.error);
    });
    if (!state.changed || state.errors.length) return state;
    var checks = state.checks;
    var numeric = inputs(tr).filter(function (input) { return input.dataset.kind !== "text"; });
    var filled = numeric.filter(function (input) { return checks[input.dataset.field].text !== ""; });
    var required = numeric.filter(function (input) { return input.dataset.required === "1"; });
    if (filled.length && required.some(function (input) { return checks[input.dataset.field].text === ""; })) {
      state.errors.push(required.map(function (input) { return label(input.dataset.field); }).join("和") + "都要填写");
    }
    if (tr.dataset.rule === "information" && checks.reported) {
      ["city_adopted", "province_adopted"].forEach(function (field) {
        if (checks[field] && compare(checks[field], checks.reported) > 0) {
          state.errors.push(label(field) + " " + checks[field].text + " 条多于报送 " + checks.reported.text + " 条");
        }
      });
    }
    var note = checks.note ? checks.note.text : "";
    if (!note) {
      numeric.forEach(function (input) {
        var field = input.dataset.field;
        var previous = tr.dataset["previous" + field.charAt(0).toUpperCase() + field.slice(1).replace(/_(\w)/g, function (a, c) { return c.toUpperCase(); })];
        if (previous === undefined || previous === "" || checks[field].text === "") return;
        var before = scaled(previous, checks[field].places || 0);
        if (before && before.value !== undefined && compare(checks[field], before) < 0) {
          state.needsReason = "累计" + label(field).replace(/^累计/, "") + "低于上月（" + previous + "），如为更正请在说明中写明原因";
        }
      });
    }
    return state;
  }

  /* hundredths of a percent, half-up: a ÷ b × 100 with a and b in hundredths (as the server rounds). */
  function percentOf(a, b) {
    if (b === BigInt(0)) return null;
    return (a * BigInt(20000) + b) / (BigInt(2) * b);
  }
  function percentText(value) {
    var text = value.toString();
    while (text.length < 3) text = "0" + text;
    return text.slice(0, -2) + "." + text.slice(-2) + "%";
  }

  /* The rates of a row as typed (not yet saved): completion against 序时进度, funds. */
  function showRates(tr, state) {
    var pairs = [["rate", "completed", tr.dataset.quantity], ["funds_rate", "paid", tr.dataset.budget]];
    pairs.forEach(function (pair) {
      var node = tr.querySelector('[data-show="' + pair[0] + '"]');
      var typed = state.checks[pair[1]];
      if (!node || pair[2] === undefined || !typed) return;
      var base = scaled(pair[2], 2);
      var value = typed.value === undefined ? null : percentOf(typed.value, base.value);
      node.textContent = value === null ? (typed.text === "" ? "" : "—") : percentText(value);
      if (pair[0] === "rate" && tr.dataset.schedule !== undefined) {
        var schedule = scaled(tr.dataset.schedule, 2).value, tolerance = scaled(tr.dataset.tolerance || "10", 2).value;
        tr.classList.toggle("lagging", value !== null && schedule - value > tolerance);
      }
    });
  }

  function restoreRates(tr) {
    Array.prototype.forEach.call(tr.querySelectorAll("[data-show]"), function (node) {
      if (node.dataset.saved !== undefined) node.textContent = node.dataset.saved;
    });
    tr.classList.toggle("lagging", tr.dataset.savedLagging === "1");
  }
  rows.forEach(function (tr) {
    Array.prototype.forEach.call(tr.querySelectorAll("[data-show]"), function (node) { node.dataset.saved = node.textContent; });
    tr.dataset.savedLagging = tr.classList.contains("lagging") ? "1" : "";
  });

  function update() {
    var dirty = 0, errors = [], reasons = 0;
    rows.forEach(function (tr) {
      if (tr.dataset.editable !== "1") return;
      var state = rowState(tr);
      if (state.changed && !state.errors.length) showRates(tr, state);
      else if (!state.changed) restoreRates(tr);
      tr.classList.toggle("dirty-row", state.changed);
      tr.classList.toggle("needs-reason", !!state.needsReason);
      var note = tr.querySelector("input[data-field=note]");
      if (note) note.title = state.needsReason || "";
      if (state.changed) dirty += 1;
      state.errors.forEach(function (error) { errors.push(tr.dataset.label + "：" + error); });
      if (state.changed && state.needsReason) { reasons += 1; errors.push(tr.dataset.label + "：" + state.needsReason); }
    });
    if (saveButton) saveButton.disabled = dirty === 0 || errors.length > 0;
    if (statusNode) {
      var parts = [dirty ? dirty + " 行修改未保存" : "没有未保存的修改"];
      if (errors.length) parts.push(errors.length + " 处需要修正：" + errors.slice(0, 3).join("；"));
      statusNode.textContent = parts.join("；");
      statusNode.classList.toggle("text-danger", errors.length > 0);
    }
    return { dirty: dirty, errors: errors, reasons: reasons };
  }

  function message(text, kind) { grid.showMessage(messagesNode, text, kind); }

  grid.keyboard(table, matrix, {
    isCell: function (node) { return node.classList && node.classList.contains("cell-input"); },
    onEscape: function (input) {
      if (!editable(input)) return;
      input.value = input.dataset.original;
      update();
    },
  });
  table.addEventListener("input", function (event) {
    if (event.target.classList.contains("cell-input")) update();
  });
  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell-input")) return;
    var counts = grid.pasteBlock(event, input, matrix, editable);
    if (counts === null) {
      if (!editable(input)) { event.preventDefault(); message("该行不能由您修改。", "warning"); }
      return;
    }
    var result = update();
    var note = grid.pasteNote(counts);
    if (result.errors.length) note += "；有 " + result.errors.length + " 处需要修正";
    message(note, counts.skipped || counts.outside || result.errors.length ? "warning" : "info");
  });

  function changes() {
    var list = [];
    rows.forEach(function (tr) {
      if (tr.dataset.editable !== "1") return;
      var state = rowState(tr);
      if (!state.changed || state.errors.length) return;
      list.push({
        id: Number(tr.dataset.id),
        version: tr.dataset.version || "",
        values: state.values,
        confirmed: tr.dataset.confirmed === "1",
      });
    });
    return list;
  }

  function applySaved(item) {
    var tr = byId[String(item.id)];
    if (!tr) return;
    tr.dataset.version = String(item.version);
    tr.dataset.confirmed = "";
    inputs(tr).forEach(function (input) {
      var value = item.values[input.dataset.field];
      if (value === undefined) return;
      input.dataset.original = value;
      input.value = value;
      input.parentElement.classList.remove("conflict");
      input.parentElement.classList.add("saved");
    });
    Object.keys(item.display || {}).forEach(function (name) {
      var node = tr.querySelector('[data-show="' + name + '"]');
      if (node) node.textContent = node.dataset.saved = item.display[name];
    });
    if (item.display && Object.keys(item.display).length) {
      tr.classList.toggle("lagging", !!item.lagging);
      tr.dataset.savedLagging = item.lagging ? "1" : "";
    }
    var confirmBox = tr.querySelector(".confirm-box");
    if (confirmBox) confirmBox.remove();
  }

  function describe(values) {
    return Object.keys(values).filter(function (field) { return values[field] !== ""; }).map(function (field) {
      return label(field) + " " + values[field];
    }).join("，") || "（空）";
  }

  function showConflicts(conflicts) {
    if (!conflictPanel) return;
    conflicts.forEach(function (conflict) {
      var tr = byId[String(conflict.id)];
      if (!tr) return;
      tr.classList.add("conflict-row");
      var item = document.createElement("div");
      item.className = "conflict-item border-bottom pb-2 mb-2";
      item.dataset.id = String(conflict.id);
      var text = document.createElement("p");
      text.className = "mb-1";
      text.textContent = tr.dataset.label + "：您填写的是 " + describe(conflict.mine) + "，但 " + conflict.theirs_by +
        " 已在您打开页面后保存为 " + describe(conflict.theirs) + "。您的值没有保存。";
      var keepMine = document.createElement("button");
      keepMine.type = "button";
      keepMine.className = "btn btn-sm btn-outline-primary me-1 keep-mine";
      keepMine.textContent = "保留我的值";
      keepMine.addEventListener("click", function () {
        tr.dataset.version = String(conflict.theirs_version);
        tr.classList.remove("conflict-row");
        item.remove();
        hideEmpty();
        update();
        message(tr.dataset.label + "：再次保存时将用您的值覆盖。", "info");
      });
      var takeTheirs = document.createElement("button");
      takeTheirs.type = "button";
      takeTheirs.className = "btn btn-sm btn-outline-secondary take-theirs";
      takeTheirs.textContent = "采用对方的值";
      takeTheirs.addEventListener("click", function () {
        applySaved({ id: conflict.id, version: conflict.theirs_version, values: conflict.theirs });
        tr.classList.remove("conflict-row");
        item.remove();
        hideEmpty();
        update();
      });
      item.appendChild(text);
      item.appendChild(keepMine);
      item.appendChild(takeTheirs);
      var old = conflictList.querySelector('[data-id="' + conflict.id + '"]');
      if (old) old.remove();
      conflictList.appendChild(item);
    });
    hideEmpty();
  }
  function hideEmpty() { conflictPanel.classList.toggle("d-none", !conflictList.children.length); }

  /* A value above the plausibility limit: the row asks, and the next save sends confirmed. */
  function askConfirmation(question) {
    var tr = byId[String(question.id)];
    if (!tr) return;
    var cell = tr.querySelector("td.row-label");
    var old = tr.querySelector(".confirm-box");
    if (old) old.remove();
    var wrapper = document.createElement("label");
    wrapper.className = "confirm-box d-block small text-danger";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input me-1";
    box.addEventListener("change", function () { tr.dataset.confirmed = box.checked ? "1" : ""; });
    wrapper.appendChild(box);
    wrapper.appendChild(document.createTextNode(question.message + "（勾选后再保存）"));
    cell.appendChild(wrapper);
  }

  function save() {
    var list = changes();
    if (!list.length) return;
    saveButton.disabled = true;
    statusNode.textContent = "正在保存…";
    grid.postChanges(config.saveUrl, list, csrfInput)
      .then(function (data) {
        Array.prototype.slice.call(messagesNode.querySelectorAll(".grid-message")).forEach(function (node) { node.remove(); });
        (data.saved || []).forEach(applySaved);
        showConflicts(data.conflicts || []);
        (data.confirm || []).forEach(askConfirmation);
        (data.errors || []).forEach(function (error) {
          var tr = error.id && byId[String(error.id)];
          if (tr) tr.classList.add("invalid-row");
          message(error.message, "danger");
        });
        update();
        var saved = (data.saved || []).length, conflicts = (data.conflicts || []).length;
        if (saved) message("已保存 " + saved + " 行。", "success");
        if (conflicts) message(conflicts + " 行在您打开页面后已被他人修改，没有保存，请查看“保存冲突”。", "warning");
        if ((data.confirm || []).length) message("有 " + data.confirm.length + " 行超过合理范围，请确认后再保存（什么都没有保存）。", "warning");
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
