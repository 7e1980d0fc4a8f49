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
