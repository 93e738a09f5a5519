// The waiting page of a report rendering: asks for the rendering's status
// every few seconds and, when it is ready, shows the download link (or, on
// pages marked data-reload-when-done, reloads to show what comes next).
// Loaded as a file, so the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var seconds = parseInt(box.getAttribute("data-poll-seconds"), 10) || 2;
  var message = box.querySelector("[data-status-message]");
  var download = document.querySelector("[data-download]");

  function done(state) {
    if (state.failed || box.hasAttribute("data-reload-when-done")) {
      window.location.reload();
      return;
    }
    message.textContent = state.message;
    if (download) {
      download.hidden = false;
      var link = download.querySelector("a");
      if (link && state.download_url) {
        link.href = state.download_url;
      }
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (state.ready || state.failed) {
          done(state);
        } else {
          if (message.lastChild && message.lastChild.textContent !== state.message) {
            message.lastChild.textContent = state.message;
          }
          window.setTimeout(poll, seconds * 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, seconds * 2000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
