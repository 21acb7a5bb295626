/* The proofreading panel ({% proofread_panel "id_content" %} from zhongshu/checking/templatetags/checking.py).
 *
 * For each [data-proofread-panel] the textarea it names gets: a highlight layer behind it (a mirror <div>
 * with the same font, padding and wrapping, whose text is transparent and whose <mark>s underline the
 * findings), and the list of findings beside it (below it on a narrow screen). The text is checked by
 * POST /api/v1/proofread 600 ms after the user stops typing; a newer check aborts the older request and a
 * result for a text that has changed since is thrown away, so typing is never blocked and the caret is
 * never touched. Click a finding to select its span; accept a suggestion (only that span is replaced, then
 * the text is checked again); dismiss it with a reason (remembered for the document through the API).
 * Without JavaScript the panel stays hidden and the form works as before. No external library.
 */
(function () {
  "use strict";
  if (window.zhongshuProofreadPanel) return;
  window.zhongshuProofreadPanel = true;

  var DEBOUNCE_MS = 600;
  var MAX_CHARS = 200000;
  var SEVERITY = { error: "错误", warning: "警告", info: "提示" };
  var COPIED = [
    "boxSizing", "width", "fontFamily", "fontSize", "fontWeight", "fontStyle", "lineHeight", "letterSpacing",
    "wordSpacing", "textIndent", "textTransform", "tabSize", "paddingTop", "paddingRight", "paddingBottom",
    "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "textAlign"
  ];

  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    if (headers) {
      try { var token = JSON.parse(headers)["X-CSRFToken"]; if (token) return token; } catch (e) { /* below */ }
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  // The server counts characters (code points); JavaScript strings count UTF-16 units.
  function unitMapper(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return function (i) { return i; };
    var map = [];
    var unit = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      map.push(unit);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) { i++; unit += 2; } else { unit += 1; }
    }
    map.push(unit);
    return function (cp) { return map[Math.min(cp, map.length - 1)]; };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Panel(panel) {
    this.panel = panel;
    this.textarea = document.getElementById(panel.dataset.target);
    if (!this.textarea || this.textarea.tagName !== "TEXTAREA") return;
    this.api = panel.dataset.api;
    this.dismissApi = panel.dataset.dismissApi;
    this.docKey = panel.dataset.docKey || "";
    this.docType = panel.dataset.docType || "";
    this.list = panel.querySelector("[data-pf-list]");
    this.status = panel.querySelector("[data-pf-status]");
    this.findings = [];
    this.hidden = 0;
    this.timer = null;
    this.controller = null;
    this.lastText = this.textarea.value;
    this.build();
    this.bind();
    if (this.textarea.value.trim()) this.check();
  }

  Panel.prototype.build = function () {
    var ta = this.textarea;
    var editor = el("div", "pf-editor");
    var box = el("div", "pf-box");
    var mirror = el("div", "pf-mirror");
    mirror.setAttribute("aria-hidden", "true");
    ta.parentNode.insertBefore(editor, ta);
    box.appendChild(mirror);
    box.appendChild(ta);
    editor.appendChild(box);
    editor.appendChild(this.panel);
    ta.classList.add("pf-textarea");
    ta.setAttribute("aria-describedby", ((ta.getAttribute("aria-describedby") || "") + " " + this.panel.id).trim());
    this.panel.hidden = false;
    this.box = box;
    this.mirror = mirror;
    this.syncStyle();
    this.renderMarks();
  };

  Panel.prototype.syncStyle = function () {
    var ta = this.textarea;
    var style = window.getComputedStyle(ta);
    var mirror = this.mirror;
    COPIED.forEach(function (name) { mirror.style[name] = style[name]; });
    mirror.style.borderStyle = "solid";
    mirror.style.borderColor = "transparent";
    // A scrollbar narrows the textarea's text; the mirror has none, so it gets the same room as padding.
    var scrollbar = ta.offsetWidth - ta.clientWidth - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
    if (scrollbar > 0) mirror.style.paddingRight = parseFloat(style.paddingRight) + scrollbar + "px";
    mirror.style.width = ta.offsetWidth + "px";
    mirror.style.height = ta.offsetHeight + "px";
    mirror.style.top = ta.offsetTop + "px";
    mirror.style.left = ta.offsetLeft + "px";
    mirror.scrollTop = ta.scrollTop;
  };

  Panel.prototype.bind = function () {
    var self = this;
    var ta = this.textarea;
    ta.addEventListener("input", function () { self.onInput(); });
    ta.addEventListener("scroll", function () { self.mirror.scrollTop = ta.scrollTop; self.mirror.scrollLeft = ta.scrollLeft; });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { self.syncStyle(); }).observe(ta);
    }
    window.addEventListener("resize", function () { self.syncStyle(); });
    this.list.addEventListener("click", function (event) { self.onClick(event); });
    this.list.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.matches("[data-pf-reason]")) {
        event.preventDefault();  // never submit the surrounding form from the reason box
        var item = event.target.closest("[data-i]");
        self.dismiss(Number(item.dataset.i), event.target.value);
      }
    });
  };

  // Keep the underlines in place while the user types: findings after the edit move with the text,
  // findings the edit touched are dropped until the next check.
  Panel.prototype.onInput = function () {
    var before = this.lastText;
    var after = this.textarea.value;
    this.lastText = after;
    var start = 0;
    var max = Math.min(before.length, after.length);
    while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
    var endBefore = before.length;
    var endAfter = after.length;
    while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
      endBefore--; endAfter--;
    }
    var delta = endAfter - endBefore;
    this.findings = this.findings.filter(function (f) {
      if (f.e <= start) return true;
      if (f.s >= endBefore) { f.s += delta; f.e += delta; return true; }
      return false;
    });
    this.render();
    this.schedule(DEBOUNCE_MS);
  };

  Panel.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.check(); }, delay);
  };

  Panel.prototype.setStatus = function (text, busy) {
    this.status.textContent = text;
    this.panel.classList.toggle("pf-busy", !!busy);
  };

  Panel.prototype.check = function () {
    var self = this;
    var text = this.textarea.value;
    if (this.controller) this.controller.abort();
    this.controller = null;
    if (!text.trim()) {
      this.findings = [];
      this.hidden = 0;
      this.render();
      this.setStatus("输入文字后自动检查");
      return;
    }
    if (text.length > MAX_CHARS) {
      this.setStatus("文字超过 " + MAX_CHARS + " 字，未检查");
      return;
    }
    var controller = window.AbortController ? new AbortController() : null;
    this.controller = controller;
    this.setStatus("正在检查…", true);
    var body = { text: text };
    if (this.docType) body.doc_type = this.docType;
    if (this.docKey) body.doc_key = this.docKey;
    fetch(this.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      if (controller !== self.controller) return;
      self.controller = null;
      if (self.textarea.value !== text) return;  // changed meanwhile: the scheduled check will follow
      var toUnit = unitMapper(text);
      self.findings = data.findings.map(function (f) {
        return {
          s: toUnit(f.start), e: toUnit(f.end), rule: f.rule, severity: f.severity, category: f.category,
          message: f.message, suggestion: f.suggestion, evidence: f.evidence, text: f.text
        };
      });
      self.hidden = data.dismissed_hidden || 0;
      self.render();
    }).catch(function (error) {
      if (error && error.name === "AbortError") return;
      if (controller !== self.controller) return;
      self.controller = null;
      self.setStatus("检查失败，请稍后继续输入以重试");
    });
  };

  Panel.prototype.render = function () {
    this.renderMarks();
    this.renderList();
  };

  Panel.prototype.renderMarks = function () {
    var text = this.textarea.value;
    var html = "";
    var at = 0;
    this.findings.forEach(function (f, i) {
      if (f.s < at || f.e > text.length || f.e <= f.s) return;  // nested or stale: listed, not underlined
      html += escapeHtml(text.slice(at, f.s));
      html += '<mark class="pf-mark pf-' + f.severity + '" data-i="' + i + '">' + escapeHtml(text.slice(f.s, f.e)) + "</mark>";
      at = f.e;
    });
    html += escapeHtml(text.slice(at)) + "\u200b";
    this.mirror.innerHTML = html;
    this.mirror.scrollTop = this.textarea.scrollTop;
  };

  Panel.prototype.renderList = function () {
    var list = this.list;
    list.textContent = "";
    var counts = { error: 0, warning: 0, info: 0 };
    var self = this;
    this.findings.forEach(function (f, i) {
      counts[f.severity] = (counts[f.severity] || 0) + 1;
      var item = el("li", "pf-item pf-" + f.severity);
      item.dataset.i = String(i);
      var jump = el("button", "pf-jump");
      jump.type = "button";
      jump.dataset.action = "jump";
      jump.appendChild(el("span", "pf-sev", SEVERITY[f.severity] || f.severity));
      jump.appendChild(el("span", "pf-text", "“" + f.text + "”"));
      jump.appendChild(el("span", "pf-rule", f.rule));
      item.appendChild(jump);
      item.appendChild(el("p", "pf-msg", f.message));
      if (f.evidence) item.appendChild(el("p", "pf-evidence", "依据：" + f.evidence));
      var actions = el("div", "pf-actions");
      if (f.suggestion !== null && f.suggestion !== undefined) {
        var accept = el("button", "btn btn-small btn-primary pf-accept", f.suggestion ? "改为“" + f.suggestion + "”" : "删除");
        accept.type = "button";
        accept.dataset.action = "accept";
        actions.appendChild(accept);
      }
      if (self.docKey) {
        var dismiss = el("button", "btn btn-small pf-dismiss", "忽略");
        dismiss.type = "button";
        dismiss.dataset.action = "dismiss-open";
        actions.appendChild(dismiss);
      }
      item.appendChild(actions);
      list.appendChild(item);
    });
    var total = this.findings.length;
    var parts = [];
    if (counts.error) parts.push("错误 " + counts.error);
    if (counts.warning) parts.push("警告 " + counts.warning);
    if (counts.info) parts.push("提示 " + counts.info);
    var text = total ? "发现 " + total + " 处（" + parts.join("，") + "）" : "未发现问题";
    if (this.hidden) text += "，已忽略 " + this.hidden + " 处";
    this.setStatus(text);
    this.panel.dataset.count = String(total);
  };

  Panel.prototype.onClick = function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var item = button.closest("[data-i]");
    var index = Number(item.dataset.i);
    var action = button.dataset.action;
    if (action === "jump") this.jump(index);
    else if (action === "accept") this.accept(index);
    else if (action === "dismiss-open") this.openDismiss(item);
    else if (action === "dismiss-cancel") item.querySelector(".pf-reason-box").remove();
    else if (action === "dismiss-save") this.dismiss(index, item.querySelector("[data-pf-reason]").value);
  };

  Panel.prototype.jump = function (index) {
    var f = this.findings[index];
    var ta = this.textarea;
    if (!f || ta.value.slice(f.s, f.e) !== f.text) return;
    ta.focus({ preventScroll: true });
    ta.setSelectionRange(f.s, f.e);
    var mark = this.mirror.querySelector('mark[data-i="' + index + '"]');
    if (mark) {
      var top = mark.offsetTop - ta.clientHeight / 3;
      ta.scrollTop = Math.max(0, top);
      this.mirror.scrollTop = ta.scrollTop;
    }
    ta.scrollIntoView({ block: "nearest" });
  };

  Panel.prototype.accept = function (index) {
    var f = this.findings[index];
    var ta = this.textarea;
    if (!f || ta.value.slice(f.s, f.e) !== f.text) { this.check(); return; }
    ta.focus({ preventScroll: true });
    ta.setRangeText(f.suggestion || "", f.s, f.e, "end");
    ta.dispatchEvent(new Event("input", { bubbles: true }));  // moves the other findings, schedules a check
    this.schedule(0);
  };

  Panel.prototype.openDismiss = function (item) {
    if (item.querySelector(".pf-reason-box")) { item.querySelector("[data-pf-reason]").focus(); return; }
    var box = el("div", "pf-reason-box");
    var label = el("label", "", "忽略理由");
    var input = el("input");
    input.type = "text";
    input.maxLength = 200;
    input.setAttribute("data-pf-reason", "");
    input.placeholder = "如：专有名称，原文如此";
    label.appendChild(input);
    box.appendChild(label);
    var save = el("button", "btn btn-small btn-primary", "确认忽略");
    save.type = "button";
    save.dataset.action = "dismiss-save";
    var cancel = el("button", "btn btn-small", "取消");
    cancel.type = "button";
    cancel.dataset.action = "dismiss-cancel";
    box.appendChild(save);
    box.appendChild(cancel);
    box.appendChild(el("p", "pf-error-text"));
    item.appendChild(box);
    input.focus();
  };

  Panel.prototype.dismiss = function (index, reason) {
    var self = this;
    var f = this.findings[index];
    var item = this.list.querySelector('[data-i="' + index + '"]');
    var problem = item && item.querySelector(".pf-error-text");
    reason = (reason || "").trim();
    if (!f) return;
    if (!reason) { if (problem) problem.textContent = "请填写忽略的理由。"; return; }
    fetch(this.dismissApi, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({ doc_key: this.docKey, rule: f.rule, text: f.text, reason: reason, message: f.message })
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        if (problem) problem.textContent = (result.data && result.data.detail) || "未能保存，请重试。";
        return;
      }
      var current = self.findings.indexOf(f);
      if (current >= 0) self.findings.splice(current, 1);
      self.hidden += 1;
      self.render();
      self.schedule(0);
    }).catch(function () {
      if (problem) problem.textContent = "无法连接服务器，请重试。";
    });
  };

  function init() {
    var panels = document.querySelectorAll("[data-proofread-panel]");
    for (var i = 0; i < panels.length; i++) {
      if (panels[i].dataset.ready) continue;
      panels[i].dataset.ready = "1";
      if (!panels[i].id) panels[i].id = "pf-panel-" + i;
      new Panel(panels[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
