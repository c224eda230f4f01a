// Progress of a PDF made in the background: polls the job's JSON status until it is ready or failed,
// then shows the download link. Without JavaScript the "Check again" link does the same by hand.
(function () {
  var root = document.getElementById("report-job");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("report-job-progress");
  var stage = document.getElementById("report-job-stage");
  var error = document.getElementById("report-job-error");
  var download = document.getElementById("report-job-download");
  var refresh = document.getElementById("report-job-refresh");
  var delay = 1000;

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    var text = data.status_label + (data.stage && data.status !== "done" ? ": " + data.stage : "");
    if (stage.textContent !== text) {
      stage.textContent = text;
    }
    if (data.download_url) {
      download.href = data.download_url;
      download.classList.remove("d-none");
      refresh.classList.add("d-none");
    }
    if (data.error) {
      error.textContent = data.error;
      error.classList.remove("d-none");
      refresh.classList.add("d-none");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.status === "queued" || data.status === "running") {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // The network or the server hiccuped: try again more slowly.
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  poll();
})();
