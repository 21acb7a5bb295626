/* Zhongshu's few lines of page behaviour: the phone navigation toggle and htmx conventions.
   No framework; htmx (vendored) is loaded before this file. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    var body = document.body;
    var toggle = document.querySelector("[data-nav-toggle]");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = body.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });

  if (!window.htmx) return;

  // Forms answered with 400/422 carry their field errors: swap them in like a success.
  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(400|422)", swap: true },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  var MESSAGES = {
    401: "登录已失效,请重新登录。",
    403: "您无权进行此操作。",
    404: "未找到该对象,或您无权查看。",
    409: "数据已被他人修改,请刷新后重试。",
    429: "操作过于频繁,请稍后再试。",
  };

  function showAlert(text) {
    var box = document.getElementById("hx-alerts");
    if (!box) return;
    var div = document.createElement("div");
    div.className = "alert alert-error";
    div.setAttribute("role", "alert");
    div.textContent = text;
    box.replaceChildren(div);
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    // An expired session answers a fragment request with the login page: load it as a full page.
    var url = evt.detail.xhr && evt.detail.xhr.responseURL;
    var login = document.body.getAttribute("data-login-url");
    if (url && login && new URL(url, window.location.href).pathname === login) {
      evt.detail.shouldSwap = false;
      window.location.href = login + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    }
  });

  document.addEventListener("htmx:responseError", function (evt) {
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    showAlert(MESSAGES[status] || "服务器处理出错(" + status + "),请稍后再试;问题持续请联系系统管理员。");
  });

  document.addEventListener("htmx:sendError", function () {
    showAlert("无法连接服务器,请检查网络后重试。");
  });
})();
