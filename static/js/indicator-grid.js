/* Department grid (rows = departments, columns = indicators with their reasons): keyboard movement
 * and paste from Excel between the score inputs, and marking of the changed cells.
 * The page stays a plain form posted as is; the server validates everything. No dependencies. */
(function () {
  "use strict";

  var table = document.getElementById("indicator-grid");
  if (!table || !table.tBodies.length) return;
  var statusNode = document.getElementById("indicator-status");
  var messagesNode = document.getElementById("indicator-messages");

  var grid = window.MinshengGrid;
  var config = grid.readConfig("grid-config");
  var rules = config ? new grid.Rules(config) : null;

  /* matrix[row][col]: the score inputs, one row per department, one column per indicator. */
  var matrix = new grid.Matrix(Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll("input.indicator-score"));
  }).filter(function (row) { return row.length; }));
  var cells = []; // {score, reason} per department × indicator
  matrix.each(function (input) {
    var reason = table.querySelector('input.indicator-reason[data-key="' + input.dataset.key + '"]');
    cells.push({ score: input, reason: reason });
  });

  function isScore(node) { return node && node.classList && node.classList.contains("indicator-score"); }
  function editable(input) { return !input.readOnly && !input.disabled; }

  /* A cell is saved when its score or its reason differs from the stored text (as the server decides). */
  function refresh(cell) {
    var score = cell.score, reason = cell.reason;
    var text = score.value.trim();
    var reasonText = reason ? reason.value.trim() : "";
    var scoreChanged = text !== score.dataset.original;
    var reasonChanged = !!reason && reasonText !== reason.dataset.original;
    var changed = scoreChanged || reasonChanged;
    var clearing = changed && text === "" && score.dataset.original !== "";
    var checked = rules ? rules.check(text, score.dataset.max, false) : {};
    var below = checked.number !== undefined && checked.number < rules.maximumOf(score.dataset.max);
    var needsReason = changed && !clearing && below && !reasonText;
    score.classList.toggle("is-invalid", changed && !!checked.error);
    score.title = changed && checked.error ? checked.error : "";
    score.parentElement.classList.toggle("dirty", changed);
    score.parentElement.classList.toggle("clearing", clearing);
    score.classList.toggle("changed", scoreChanged);
    score.placeholder = clearing ? "将清空" : "";
    if (reason) {
      reason.parentElement.classList.toggle("dirty", changed);
      reason.parentElement.classList.toggle("needs-reason", needsReason);
      reason.classList.toggle("changed", reasonChanged);
      reason.placeholder = needsReason ? rules.reasonRequired(score.dataset.max) : "";
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

  grid.keyboard(table, matrix, {
    isCell: isScore,
    onEscape: function (input) {
      if (!editable(input)) return;
      input.value = input.dataset.original; // back to the saved value
      update();
    },
  });

  table.addEventListener("input", function (event) {
    if (event.target.tagName === "INPUT") update();
  });

  /* Paste a block copied from Excel from the focused score: across the indicators (the reason columns
   * are skipped) and down the departments. */
  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!isScore(input)) return;
    var counts = grid.pasteBlock(event, input, matrix, editable);
    if (counts === null) return; // one value: the browser pastes it
    update();
    message(grid.pasteNote(counts) + "。点“保存修改”后保存。", counts.skipped || counts.outside ? "warning" : "info");
  });

  update();
})();
