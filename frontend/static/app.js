// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
    });
  });
});

// Live preview in the lesson editor: renders through the same sanitiser as the lesson page.
(() => {
  const form = document.getElementById("editor");
  const body = document.getElementById("body");
  const preview = document.getElementById("preview");
  if (!form || !body || !preview) return;
  const minutes = document.getElementById("preview-minutes");
  const warning = document.getElementById("preview-warning");
  let timer = null;
  const render = async () => {
    const resp = await fetch("/api/v1/lessons/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "content-type": "application/json",
        "x-csrf-token": form.dataset.apiCsrf || "",
        "accept-language": document.documentElement.lang || "de",
      },
      body: JSON.stringify({ body: body.value }),
    });
    if (!resp.ok) return;
    const data = await resp.json();
    preview.innerHTML = data.html; // sanitised on the server
    if (minutes) minutes.textContent = "~" + data.reading_minutes + " min";
    if (warning) {
      warning.hidden = data.warnings.length === 0;
      warning.textContent = data.warnings.join(" ");
    }
  };
  body.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(render, 300); });
  render();
})();

// "Similar questions" while typing a title, so duplicates are found before asking.
(() => {
  const form = document.getElementById("ask-form");
  const title = document.getElementById("title");
  const box = document.getElementById("similar");
  if (!form || !title || !box) return;
  const list = box.querySelector("ul");
  let timer = null;
  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = title.value.trim();
      if (q.length < 4) { box.hidden = true; return; }
      const resp = await fetch("/api/v1/threads/similar?title=" + encodeURIComponent(q), { credentials: "same-origin" });
      if (!resp.ok) return;
      const items = await resp.json();
      list.replaceChildren(...items.map((t) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "/threads/" + t.id;
        a.textContent = t.title;
        li.append(a);
        return li;
      }));
      box.hidden = items.length === 0;
    }, 250);
  });
})();

// As-you-type suggestions for the search box.
(() => {
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2) { list.replaceChildren(); return; }
      const resp = await fetch("/api/v1/search/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" });
      if (!resp.ok) return;
      const items = await resp.json();
      list.replaceChildren(...items.map((s) => { const o = document.createElement("option"); o.value = s.title; return o; }));
    }, 150);
  });
})();

// On wide screens the menu and the search filters are laid out open (the CSS shows them
// already); opening the <details> too keeps them in the accessibility tree and focus order.
// On the phone they stay folded until tapped, and a tap elsewhere or Escape folds the menu.
(() => {
  const folds = [
    [document.getElementById("menu"), window.matchMedia("(min-width: 60rem)")],
    [document.getElementById("facets"), window.matchMedia("(min-width: 48rem)")],
  ];
  for (const [details, wide] of folds) {
    if (!details) continue;
    const apply = () => { details.open = wide.matches; };
    apply();
    wide.addEventListener("change", apply);
  }
  const menu = document.getElementById("menu");
  if (!menu) return;
  const narrow = () => !window.matchMedia("(min-width: 60rem)").matches;
  document.addEventListener("click", (e) => {
    if (narrow() && menu.open && !menu.contains(e.target)) menu.open = false;
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && narrow() && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();

// Redaction hints while writing: the server marks what could identify someone (nothing is
// stored); the author may take each out with one tap or ignore it. Fields opt in with
// `data-hints` (`data-hints="form"` puts the list under the field's form); the texts and the
// API's CSRF value come from #hint-texts.
(() => {
  const texts = document.getElementById("hint-texts");
  if (!texts || !window.fetch) return;
  const t = texts.dataset;
  const upper = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const shorten = (s) => (Array.from(s).length > 24 ? Array.from(s).slice(0, 20).join("") + " …" : s);
  document.querySelectorAll("[data-hints]").forEach((field) => {
    const box = document.createElement("div");
    box.className = "hints";
    box.hidden = true;
    box.setAttribute("aria-live", "polite");
    const intro = document.createElement("p");
    intro.textContent = t.intro;
    const list = document.createElement("ul");
    const note = document.createElement("p");
    note.className = "meta";
    note.textContent = t.note;
    box.append(intro, list, note);
    const anchor = field.dataset.hints === "form" ? field.closest("form") || field : field;
    anchor.insertAdjacentElement("afterend", box);
    let timer = null;
    let asked = 0;
    let last = null;
    // Replaces the marked words with a neutral placeholder; offsets count code points.
    const remove = (h) => {
      const placeholder = t["placeholder" + upper(h.kind)] || "[…]";
      const chars = Array.from(field.value);
      if (chars.slice(h.start, h.end).join("") === h.text) {
        chars.splice(h.start, h.end - h.start, placeholder);
        field.value = chars.join("");
      } else {
        const at = field.value.indexOf(h.text);
        if (at < 0) return;
        field.value = field.value.slice(0, at) + placeholder + field.value.slice(at + h.text.length);
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
      check();
    };
    const show = (hints) => {
      list.replaceChildren(...hints.map((h) => {
        const li = document.createElement("li");
        const what = document.createElement("span");
        what.textContent = shorten(h.text) + " (" + (t["kind" + upper(h.kind)] || h.kind) + ") ";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "link";
        button.textContent = t.remove;
        button.addEventListener("click", () => remove(h));
        li.append(what, button);
        return li;
      }));
      box.hidden = hints.length === 0;
    };
    const check = async () => {
      const text = field.value;
      if (text === last) return;
      last = text;
      if (text.trim().length < 3) { show([]); return; }
      const mine = ++asked;
      let resp;
      try {
        resp = await fetch("/api/v1/hints", {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "content-type": "application/json",
            "x-csrf-token": t.apiCsrf || "",
            "accept-language": document.documentElement.lang || "de",
          },
          body: JSON.stringify({ text }),
        });
      } catch (_) { return; }
      if (!resp.ok || mine !== asked) return;
      const data = await resp.json();
      if (mine === asked) show(data.hints);
    };
    field.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 400); });
    if (field.value.trim()) check();
  });
})();

// Offline reading (the service worker in /sw.js): lessons and paths a member keeps, the
// offline page's list of them, knowledge-check answers given offline (sent when back online),
// and nothing left behind after signing out.
(() => {
  if (!("serviceWorker" in navigator) || !window.caches) return;
  const KEPT = "sb-offline-v1";
  const PENDING = "sb-pending-checks";
  // Only a signed-in person keeps anything; after signing out nothing is installed again.
  if (document.getElementById("logout")) navigator.serviceWorker.register("/sw.js").catch(() => {});

  const keep = document.getElementById("keep-offline");
  const status = document.getElementById("keep-status");
  if (keep && status) {
    keep.closest(".keep-offline").hidden = false;
    navigator.serviceWorker.addEventListener("message", (e) => {
      const type = e.data && e.data.type;
      if (type === "kept") status.textContent = status.dataset.done;
      if (type === "keep-failed") status.textContent = status.dataset.failed;
    });
    keep.addEventListener("click", async () => {
      const reg = await navigator.serviceWorker.ready;
      reg.active.postMessage({ type: "keep", urls: keep.dataset.urls.split(" ").filter(Boolean) });
    });
  }

  const list = document.getElementById("offline-list");
  if (list) {
    caches.open(KEPT).then(async (cache) => {
      const requests = await cache.keys();
      const none = document.getElementById("offline-none");
      if (none) none.hidden = requests.length > 0;
      for (const req of requests) {
        const resp = await cache.match(req);
        const html = resp ? await resp.text() : "";
        const title = new DOMParser().parseFromString(html, "text/html").title.replace(/ · sellerbase$/, "");
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = new URL(req.url).pathname;
        a.textContent = title || a.href;
        li.appendChild(a);
        list.appendChild(li);
      }
    });
  }

  // A dead spot is not always "offline" to the browser: ask the server first, and keep the
  // answers when it cannot be reached.
  const reachable = () => fetch("/healthz", { cache: "no-store" }).then((r) => r.ok, () => false);
  const checkForm = document.getElementById("check-form");
  if (checkForm) {
    checkForm.addEventListener("submit", async (e) => {
      if (checkForm.dataset.checked === "1") return;
      e.preventDefault();
      const body = new URLSearchParams(new FormData(checkForm)).toString();
      if (navigator.onLine && (await reachable())) {
        checkForm.dataset.checked = "1";
        checkForm.submit();
        return;
      }
      const pending = JSON.parse(localStorage.getItem(PENDING) || "[]");
      pending.push({ action: checkForm.action, body });
      localStorage.setItem(PENDING, JSON.stringify(pending));
      const queued = document.getElementById("check-queued");
      if (queued) queued.hidden = false;
      checkForm.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = false; });
    });
  }
  const sendPending = async () => {
    if (!navigator.onLine || !localStorage.getItem(PENDING) || !(await reachable())) return;
    const pending = JSON.parse(localStorage.getItem(PENDING) || "[]");
    const left = [];
    for (const p of pending) {
      try {
        const resp = await fetch(p.action, {
          method: "POST", credentials: "same-origin", redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded" }, body: p.body,
        });
        if (resp.status >= 500) left.push(p);
      } catch (_) {
        left.push(p);
      }
    }
    if (left.length) localStorage.setItem(PENDING, JSON.stringify(left));
    else localStorage.removeItem(PENDING);
  };
  window.addEventListener("online", sendPending);
  sendPending();

  const logout = document.getElementById("logout");
  if (logout) {
    logout.closest("form").addEventListener("submit", () => {
      localStorage.removeItem(PENDING);
      caches.keys().then((keys) => keys.forEach((k) => caches.delete(k)));
    });
  }
})();
