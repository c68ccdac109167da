/* Functions the brokers grid refers to by name (dash-ag-grid looks them up here). */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* Sort member counts shown as text: "<5" sorts just below 5, "1,234" as 1234. */
dagfuncs.coalitionCountComparator = function (a, b) {
  function value(v) {
    if (v === null || v === undefined || v === "") return -1;
    var s = String(v);
    if (s.charAt(0) === "<") return parseFloat(s.slice(1)) - 0.5;
    return parseFloat(s.replace(/,/g, ""));
  }
  return value(a) - value(b);
};

/* CSV cells that a spreadsheet would run as a formula get a leading apostrophe. */
dagfuncs.coalitionCsvCell = function (params) {
  var v = params.value;
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(v)) return "'" + v;
  return v;
};
