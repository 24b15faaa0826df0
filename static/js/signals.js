// Signals intake: show the Wpg conditions field only when the legal regime is Wpg.
// No inline script (CSP); the server still validates the conditions for Wpg signals.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var regime = document.getElementById("id_legal_regime");
    var conditions = document.getElementById("id_wpg_conditions");
    if (!regime || !conditions) { return; }
    var field = conditions.closest(".utrecht-form-field") || conditions;
    function sync() { field.hidden = regime.value !== "WPG" && !conditions.value; }
    regime.addEventListener("change", sync);
    sync();
  });
})();
