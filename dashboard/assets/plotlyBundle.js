/*
 * Plots load the cartesian partial bundle of plotly.js 4.1.1 (heatmaps, bars and
 * scatters: all this dashboard draws; npm plotly.js-cartesian-dist-min, MIT) instead
 * of the full one: a third of the size, about 0.7 s less to start on a slow machine.
 * dcc.Graph still loads it lazily, only on pages with a plot, from the URL Dash keeps
 * in window._dashPlotlyJSURL; should a later Dash stop reading it, Dash's own full
 * bundle loads as before.
 */
(function () {
  var prefix = (document.currentScript && document.currentScript.src.split("/assets/")[0]) || "";
  var url = prefix + "/assets/vendor/plotly-cartesian-4.1.1.min.js";
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () {
      return url;
    },
    set: function () {},
  });
})();
