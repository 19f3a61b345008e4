// Long operations (big exports, imports) show that they are working instead of a frozen page.
// A form with data-busy="message" shows the message and an indeterminate progress bar on submit;
// for a download, the server sets the cookie lianxin_download=<token> when the file is ready.
(function () {
  function show(form, text) {
    var box = form.querySelector(".busy") || document.createElement("p");
    box.className = "busy";
    box.textContent = "";
    var bar = document.createElement("progress");
    bar.className = "progress";
    box.appendChild(bar);
    box.appendChild(document.createTextNode(" " + text));
    form.appendChild(box);
    return box;
  }
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      var isDownload = button && button.hasAttribute("data-download");
      var box = show(form, (button && button.getAttribute("data-busy")) || form.getAttribute("data-busy"));
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      if (button && button.name) {  // keep the pressed button's value although it is disabled now
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
        form.appendChild(hidden);
      }
      if (!isDownload) return;
      var token = String(Date.now());
      var field = form.querySelector("input[name=download_token]") || document.createElement("input");
      field.type = "hidden"; field.name = "download_token"; field.value = token;
      form.appendChild(field);
      var timer = setInterval(function () {
        if (document.cookie.indexOf("lianxin_download=" + token) !== -1) {
          clearInterval(timer);
          box.remove();
          form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        }
      }, 500);
    });
  });
})();
