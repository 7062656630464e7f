/* Townsquare's page script: plain JavaScript, no build step.
   1. Chat forms (form[data-stream]) send with fetch and read the agent's reply as it streams
      (server-sent events over the POST response), then show its citations.
   2. Upload forms (form[data-progress]) send with XMLHttpRequest to show a progress bar.
   3. "Back" links (a[data-back]) go back in history (no inline script: the pages' CSP).
   Both fall back to ordinary form posts when this script does not run. */
"use strict";

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function bubble(chat, who, text, opts) {
  const box = el("div", { class: "msg" + (opts.mine ? " mine" : "") });
  const meta = el("div", { class: "meta" });
  meta.append(el("strong", {}, who));
  if (opts.ai) meta.append(el("span", { class: "badge ai", title: "Written by an AI agent" }, "AI"));
  box.append(meta, el("div", { class: "body" }, text));
  chat.append(box);
  box.scrollIntoView({ block: "end" });
  return box;
}

function citationHref(c, handle) {
  return c.url.startsWith("/posts/") ? "/p/" + c.url.slice(7) : "/passages/" + handle + "/" + c.chunk_id;
}

function fillMessage(box, m) {
  box.dataset.messageId = m.id;
  box.querySelector(".body").textContent = m.text;
  if (m.ai_generated && !box.querySelector(".badge.ai")) {
    box.querySelector(".meta").append(el("span", { class: "badge ai" }, m.label || "AI"));
  }
  if (m.citations && m.citations.length) {
    const list = el("ol", { class: "citations", "aria-label": "Sources" });
    for (const c of m.citations) {
      const item = el("li");
      item.append(el("a", { href: citationHref(c, m.sender.handle), title: c.quote },
        c.title + (c.locator ? " (" + c.locator + ")" : "")));
      list.append(item);
    }
    box.append(list);
  }
}

function parseEvents(buffer, onEvent) {
  let index;
  while ((index = buffer.indexOf("\n\n")) >= 0) {
    const block = buffer.slice(0, index);
    buffer = buffer.slice(index + 2);
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) name = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    onEvent(name, data.length ? JSON.parse(data.join("\n")) : {});
  }
  return buffer;
}

async function streamChat(form, event) {
  event.preventDefault();
  const chat = document.getElementById("chat");
  const status = document.getElementById("chat-status");
  const field = form.querySelector("textarea[name=text]");
  const button = form.querySelector("button[type=submit]");
  const text = field.value;
  if (!text.trim()) { status.textContent = "Write a message first."; field.focus(); return; }
  button.disabled = true;
  status.textContent = "Sending…";
  const mine = bubble(chat, form.dataset.me || "You", text, { mine: true });
  let reply = null;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "Accept": "text/event-stream", "X-CSRF-Token": document.body.dataset.csrf },
      body: new URLSearchParams(new FormData(form)),
    });
    if (!response.ok || !response.body) {
      mine.remove();
      status.textContent = response.status === 403
        ? "This page has expired: copy your message, reload and try again."
        : "Your message could not be sent (" + response.status + "). It is still in the box below.";
      return;
    }
    field.value = "";
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = parseEvents(buffer + decoder.decode(value, { stream: true }), (name, data) => {
        if (name === "message") { fillMessage(mine, data); status.textContent = ""; }
        else if (name === "delta") {
          if (!reply) { reply = bubble(chat, form.dataset.other || "", "", { ai: true }); reply.classList.add("streaming"); status.textContent = "The agent is writing…"; }
          reply.querySelector(".body").textContent += data.text;
          chat.dataset.streamed = "true";
          reply.scrollIntoView({ block: "end" });
        } else if (name === "reply") {
          if (!reply) reply = bubble(chat, "", "", { ai: true });
          reply.querySelector(".meta strong").textContent = data.sender.display_name;
          fillMessage(reply, data);
          reply.classList.remove("streaming");
          status.textContent = "";
        } else if (name === "draft") {
          if (reply) reply.remove();
          status.textContent = "The agent's owner reviews its replies first; the answer will appear here once approved.";
        } else if (name === "done" && data.reply !== undefined) {
          if (reply) reply.classList.remove("streaming");
          status.textContent = data.lines_left + " lines left.";
        } else if (name === "silent" || name === "error") {
          if (reply) reply.remove();
          if (name === "error" || data.detail !== "nobody answers this message automatically") status.textContent = data.detail[0].toUpperCase() + data.detail.slice(1) + ".";
        }
      });
    }
  } catch (error) {
    status.textContent = "The connection dropped. Reload to see whether the reply arrived.";
  } finally {
    button.disabled = false;
    field.focus();
  }
}

function uploadWithProgress(form, event) {
  event.preventDefault();
  const bar = form.querySelector("progress");
  const status = form.querySelector("[role=status]");
  const request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.setRequestHeader("X-CSRF-Token", document.body.dataset.csrf);
  request.setRequestHeader("HX-Request", "true");
  bar.hidden = false;
  bar.value = 0;
  request.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total); };
  request.onload = () => {
    bar.value = 100;
    if (request.status >= 200 && request.status < 300) {
      status.textContent = "Uploaded. The agent is learning it now; reload to see when it is ready.";
      const list = document.getElementById("sources");
      if (list) {
        list.innerHTML = request.responseText;
        if (window.htmx) window.htmx.process(list); // start polling the indexing progress
      }
      form.reset();
    } else {
      status.textContent = request.responseText.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() || "The upload failed.";
    }
  };
  request.onerror = () => { status.textContent = "The upload failed: the connection dropped."; };
  request.send(new FormData(form));
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form[data-stream]")) streamChat(form, event);
  else if (form.matches("form[data-progress]")) uploadWithProgress(form, event);
});

document.addEventListener("click", (event) => {
  // A "back" link returns to the previous page; its href is where it goes without one.
  const back = event.target.closest && event.target.closest("a[data-back]");
  if (back && history.length > 1) { event.preventDefault(); history.back(); return; }
  // A suggested question fills the chat box (and can be edited before sending).
  const chip = event.target.closest && event.target.closest("button[data-fill]");
  if (!chip) return;
  const field = document.querySelector("form[data-stream] textarea[name=text]");
  if (field) { field.value = chip.dataset.fill; field.focus(); }
});

document.addEventListener("keydown", (event) => {
  // Enter sends a chat message; Shift+Enter starts a new line.
  const form = event.target.closest && event.target.closest("form[data-stream]");
  if (form && event.key === "Enter" && !event.shiftKey && event.target.tagName === "TEXTAREA") {
    event.preventDefault();
    form.requestSubmit();
  }
});
