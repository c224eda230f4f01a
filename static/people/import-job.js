// Progress of an import running in the background: polls the job's JSON status and moves the progress
// bar; once the import has finished, reloads the page, which then says how it ended. Without JavaScript
// the "Check again" link does the same by hand.
(function () {
  var root = document.getElementById("import-job");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("import-job-progress");
  var stage = document.getElementById("import-job-stage");
  var delay = 1000;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.finished) {
          window.location.reload();
          return;
        }
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        var text = data.status_label + (data.stage ? ": " + data.stage : "");
        if (stage.textContent !== text) {
          stage.textContent = text;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // The network or the server hiccuped: try again more slowly.
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
