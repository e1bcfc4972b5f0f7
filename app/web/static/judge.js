// The score form's running total, updated as a judge types: the same sum
// the server shows on each save (scoring.JudgeTotal): each criterion's
// share of its max, weighted. Without JavaScript the total shows what is
// on record.
(function () {
  var out = document.getElementById("total");
  if (!out) return;
  var inputs = Array.prototype.slice.call(document.querySelectorAll("input[data-max][data-weight]"));
  var lang = document.documentElement.lang;
  function fmt(n) {
    var s = (Math.round(n * 10) / 10).toString();
    return lang === "vi" ? s.replace(".", ",") : s;
  }
  function update() {
    var sum = 0, weights = 0, points = 0, maxPoints = 0;
    inputs.forEach(function (el) {
      var max = parseFloat(el.dataset.max), w = parseFloat(el.dataset.weight);
      var v = parseFloat(el.value.replace(",", "."));
      weights += w;
      maxPoints += max;
      if (v > 0) {
        sum += w * Math.min(v / max, 1);
        points += Math.min(v, max);
      }
    });
    var total = weights > 0 ? 100 * sum / weights : 0;
    out.querySelector("strong").textContent = fmt(total) + "/100";
    out.querySelector("span").textContent = "(" + out.dataset.labelPoints.replace("%s", fmt(points)).replace("%s", fmt(maxPoints)) + ")";
  }
  inputs.forEach(function (el) { el.addEventListener("input", update); });
})();
