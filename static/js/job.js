// A job's page: poll its status every second and move the progress bar; reload when it is done
// (the page then shows the download link, or the reason it failed). Without script: the 刷新 link.
(function () {
  var box = document.getElementById("job-progress");
  if (!box || !box.dataset.statusUrl) return;
  var bar = box.querySelector("progress");
  var done = document.getElementById("job-done");
  var total = document.getElementById("job-total");
  var label = document.getElementById("job-label");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return setTimeout(poll, 5000);
        if (state.finished) return window.location.reload();
        if (state.total) { bar.max = state.total; bar.value = state.done; }
        done.textContent = state.done;
        total.textContent = state.total || "?";
        label.textContent = state.label;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
