/*
 * Plots load our own build of plotly.js 4.1.1 (MIT): the traces of plotly's
 * cartesian partial bundle (heatmaps, bars, scatters: all this dashboard draws) plus
 * the strict WebGL scatter, whose shader code is generated beforehand, so that it runs
 * under the dashboard's content security policy (no 'unsafe-eval'). It is 2/5 the
 * size of the full bundle. How to rebuild it: assets/vendor/BUILD-plotly.md.
 * dcc.Graph still loads it lazily, only on pages with a plot, from the URL Dash keeps
 * in window._dashPlotlyJSURL; should a later Dash stop reading it, Dash's own full
 * bundle loads as before (and the points view says WebGL is blocked).
 */
(function () {
  var prefix = (document.currentScript && document.currentScript.src.split("/assets/")[0]) || "";
  var url = prefix + "/assets/vendor/plotly-coalition-4.1.1.min.js";
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () {
      return url;
    },
    set: function () {},
  });
})();
