/*
 * Briefbot chat widget: one <script> tag adds a chat bubble that opens a small chat panel.
 *
 *   <script src="http://HOST:PORT/embed/widget.js"
 *           data-title="Briefbot" data-greeting="Ask about the meetings in our articles."
 *           data-position="bottom-right" data-color="#1d4ed8" data-text-color="#ffffff"
 *           data-open="false"></script>
 *
 * Plain JavaScript, no build step, no outside assets. It lives in a shadow root so the host
 * page's CSS cannot break it, and it writes every server string with textContent: answers and
 * sources are article text, which is untrusted. It only reads (/api/sessions, /api/ask/stream);
 * the server refuses writes from embedding pages anyway.
 * With a reader model the server sends each sentence once it is verified; a `reset` event (the
 * model failed mid-answer) clears what was shown before the extractive answer follows.
 * data-mode="inline" fills the page instead of showing a bubble (the /embed/chat iframe uses it;
 * there, settings may also come from the page's query string). data-api overrides the server
 * address, which is otherwise where the script was loaded from.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var data = script.dataset;
  var query = new URLSearchParams(window.location.search);
  var inline = data.mode === "inline";

  function setting(name, fallback) {
    if (data[name] !== undefined && data[name] !== "") return data[name];
    if (inline && query.get(name)) return query.get(name);
    return fallback;
  }

  function safeColor(value, fallback) {
    // Colours go into CSS: accept only plain colour notations.
    return /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|rgba?\([0-9.,%\s]+\))$/.test(value || "") ? value : fallback;
  }

  var apiBase = (data.api || new URL(script.src, window.location.href).origin).replace(/\/+$/, "");
  var title = setting("title", "Briefbot");
  var greeting = setting(
    "greeting",
    "Ask me about the diplomatic meetings in our articles: who met, where, what each side wanted. Every answer cites its sources."
  );
  var position = setting("position", "bottom-right") === "bottom-left" ? "left" : "right";
  var color = safeColor(setting("color", ""), "#1d4ed8");
  var textColor = safeColor(setting("textColor", ""), "#ffffff");
  var openOnLoad = inline || setting("open", "false") === "true";
  var storageKey = "briefbot-widget:" + apiBase;

  var css =
    ":host{all:initial}" +
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Liberation Sans',sans-serif}" +
    ".bubble{position:fixed;bottom:20px;" + position + ":20px;width:56px;height:56px;border-radius:50%;border:0;" +
    "background:" + color + ";color:" + textColor + ";cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);" +
    "display:flex;align-items:center;justify-content:center;z-index:2147483000}" +
    ".bubble:focus-visible,.send:focus-visible,.close:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    ".panel{position:fixed;bottom:88px;" + position + ":20px;width:min(380px,calc(100vw - 40px));" +
    "height:min(560px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;color:#111;" +
    "border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden;z-index:2147483000}" +
    ".panel.inline{position:static;width:100%;height:100vh;border-radius:0;box-shadow:none}" +
    ".panel[hidden]{display:none}" +
    ".head{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;background:" + color +
    ";color:" + textColor + "}" +
    ".head h2{margin:0;font-size:16px;font-weight:600}" +
    ".close{background:transparent;border:0;color:inherit;font-size:20px;cursor:pointer;line-height:1}" +
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;font-size:14px;line-height:1.45}" +
    ".msg{max-width:92%;padding:8px 11px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}" +
    ".user{align-self:flex-end;background:" + color + ";color:" + textColor + "}" +
    ".bot{align-self:flex-start;background:#f1f3f6}" +
    ".error{align-self:stretch;background:#fdecec;color:#8a1c1c}" +
    ".marker{color:" + color + ";font-weight:600}" +
    ".sources{margin:8px 0 0;padding:6px 0 0 18px;border-top:1px solid #d9dde3;font-size:12.5px;color:#333}" +
    ".sources li{margin:4px 0}" +
    ".note{margin:6px 0 0;font-size:12px;color:#555}" +
    ".sources .t{font-weight:600;display:block}" +
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb}" +
    "input{flex:1;padding:9px 10px;border:1px solid #c5cad3;border-radius:8px;font-size:14px}" +
    ".send{padding:9px 14px;border:0;border-radius:8px;background:" + color + ";color:" + textColor +
    ";font-size:14px;cursor:pointer}" +
    ".send[disabled]{opacity:.6;cursor:default}";

  var host = document.createElement("div");
  host.setAttribute("data-briefbot-widget", "");
  var root = host.attachShadow({ mode: "open" });
  var style = document.createElement("style");
  style.textContent = css;
  root.appendChild(style);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The bubble keeps one name ("Chat with <title>"); aria-expanded says whether the panel is open.
  var bubble = el("button", { type: "button", class: "bubble", "aria-label": "Chat with " + title, "aria-expanded": "false" });
  // A speech-bubble icon drawn inline (no icon font, no outside asset).
  var svgNs = "http://www.w3.org/2000/svg";
  var icon = document.createElementNS(svgNs, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("width", "28");
  icon.setAttribute("height", "28");
  icon.setAttribute("aria-hidden", "true");
  var path = document.createElementNS(svgNs, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
  icon.appendChild(path);
  bubble.appendChild(icon);
  var panel = el("section", { class: "panel" + (inline ? " inline" : ""), role: "dialog", "aria-label": title + " chat" });
  var head = el("div", { class: "head" });
  head.appendChild(el("h2", {}, title));
  var close = el("button", { type: "button", class: "close", "aria-label": "Close" }, "×");
  if (!inline) head.appendChild(close);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  var form = el("form", {});
  var input = el("input", { type: "text", name: "question", "aria-label": "Your question", placeholder: "Ask a question…", autocomplete: "off", maxlength: "1000" });
  var send = el("button", { type: "submit", class: "send" }, "Send");
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  if (!inline) root.appendChild(bubble);
  root.appendChild(panel);

  var interrupted = "The page was left before this answer finished; ask again to see all of it.";

  function load() {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(storageKey));
    } catch (e) {
      /* unreadable: start anew */
    }
    if (!saved || !Array.isArray(saved.messages)) return { session: null, messages: [] };
    if (saved.asking) {
      // The previous page was left (a link, a reload) while an answer was on its way: keep what
      // had arrived and say that it was cut short, rather than show a question left unanswered.
      var last = saved.messages[saved.messages.length - 1];
      if (last && last.role === "bot" && !last.text) saved.messages.pop();
      saved.messages.push({ role: "error", text: interrupted });
      saved.asking = false;
    }
    return saved;
  }
  var state = load();
  function save() {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(state));
    } catch (e) {
      /* storage may be off; the chat still works for this page view */
    }
  }

  function scroll() {
    log.scrollTop = log.scrollHeight;
  }

  function renderAnswerText(node, text) {
    // Text with [n] markers; markers become styled spans, everything else stays text.
    node.textContent = "";
    text.split(/(\[\d+\])/).forEach(function (part) {
      if (/^\[\d+\]$/.test(part)) node.appendChild(el("span", { class: "marker" }, part));
      else if (part) node.appendChild(document.createTextNode(part));
    });
  }

  function renderSources(node, citations) {
    if (!citations || !citations.length) return;
    var list = el("ol", { class: "sources", "aria-label": "Sources" });
    citations.forEach(function (c) {
      var item = el("li", { value: String(c.n) });
      item.appendChild(el("span", { class: "t" }, "[" + c.n + "] " + c.title));
      item.appendChild(el("span", { class: "s" }, "“" + c.text + "”"));
      list.appendChild(item);
    });
    node.appendChild(list);
  }

  function renderNote(node, note) {
    if (note) node.appendChild(el("p", { class: "note" }, note));
  }

  function addMessage(msg) {
    var node = el("div", { class: "msg " + msg.role });
    if (msg.role === "bot") {
      var body = el("div", { class: "text" });
      renderAnswerText(body, msg.text);
      node.appendChild(body);
      renderNote(node, msg.note);
      renderSources(node, msg.citations);
    } else {
      if (msg.role === "error") node.setAttribute("role", "alert");
      node.textContent = msg.text;
    }
    log.appendChild(node);
    scroll();
    return node;
  }

  function renderAll() {
    log.textContent = "";
    addMessage({ role: "bot", text: greeting, citations: [] });
    state.messages.forEach(addMessage);
  }

  function setOpen(open, focus) {
    panel.hidden = !open;
    bubble.setAttribute("aria-expanded", String(open));
    if (open && focus) input.focus();
  }

  async function errorText(response) {
    try {
      var body = await response.json();
      if (typeof body.detail === "string") return body.detail;
    } catch (e) {
      /* fall through */
    }
    return "The chat failed (HTTP " + response.status + ").";
  }

  async function post(question, sessionId) {
    return fetch(apiBase + "/api/ask/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, session_id: sessionId }),
    });
  }

  async function readEvents(response, onEvent) {
    // Server-sent events over fetch: "event: name\ndata: json\n\n" blocks.
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      var blocks = buffer.split("\n\n");
      buffer = blocks.pop();
      blocks.forEach(function (block) {
        var name = "message";
        var payload = "";
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event: ") === 0) name = line.slice(7);
          else if (line.indexOf("data: ") === 0) payload += line.slice(6);
        });
        onEvent(name, payload ? JSON.parse(payload) : {});
      });
    }
  }

  async function ask(question) {
    // Everything shown is saved as it arrives, and `asking` stays set until the answer is complete,
    // so a page left mid-answer (the host site's links, a reload) restores what was shown and says
    // that it was cut short.
    var user = { role: "user", text: question };
    state.messages.push(user);
    state.asking = true;
    addMessage(user);
    save();
    send.disabled = true;
    var answer = { role: "bot", text: "", citations: [] };
    var cutOff = "The answer was cut off before it finished; ask again.";
    var started = false;
    try {
      var response = await post(question, state.session);
      if (response.status === 404 && state.session) {
        state.session = null; // the server forgot the conversation (restart, expiry): start anew
        response = await post(question, null);
      }
      if (!response.ok) throw new Error(await errorText(response));
      state.messages.push(answer);
      started = true;
      var node = addMessage(answer);
      var body = node.querySelector(".text");
      var finished = false;
      await readEvents(response, function (name, payload) {
        if (name === "session") {
          state.session = payload.session_id;
        } else if (name === "token") {
          answer.text += payload.text;
          renderAnswerText(body, answer.text);
          scroll();
        } else if (name === "reset") {
          // The model failed after some of its (verified) sentences were shown: they are replaced
          // by the extractive answer, which follows as tokens.
          answer.text = "";
          renderAnswerText(body, answer.text);
        } else if (name === "citations") {
          answer.citations = payload.citations;
          if (payload.fallback && payload.fallback.indexOf("no-evidence") !== 0) {
            answer.note = "Answered without the model (" + payload.fallback + ").";
            renderNote(node, answer.note);
          }
          renderSources(node, answer.citations);
          scroll();
        } else if (name === "done") {
          finished = true;
        }
        save();
      });
      if (!finished) throw new Error(cutOff);
    } catch (err) {
      var text = started
        ? cutOff // a broken connection or a garbled event mid-answer
        : err instanceof TypeError
          ? "The chat is unavailable from this page (this site may not be allowed to embed it)."
          : err.message;
      var failure = { role: "error", text: text };
      state.messages.push(failure);
      addMessage(failure);
    } finally {
      state.asking = false;
      save();
      send.disabled = false;
      input.focus();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question || send.disabled) return;
    input.value = "";
    ask(question);
  });
  bubble.addEventListener("click", function () {
    setOpen(panel.hidden, true);
  });
  close.addEventListener("click", function () {
    setOpen(false, false);
    bubble.focus();
  });

  renderAll();
  setOpen(openOnLoad, false);
  (document.body || document.documentElement).appendChild(host);
})();
