// BG Zero's service worker: the app shell and runtime come from a cache versioned by the
// build, models are cached on first use once their sha256 checks out, and every response
// gets the cross-origin isolation headers, so threads work on hosts that cannot send them.
// Nothing a user made is ever cached: only GETs of files the build lists (and page
// navigations) are answered from the caches; a shared photo is held in memory until taken.
// A new build installs beside the running one and waits: the page offers a reload, and only
// then does it take over (a page never mixes two builds' files).
"use strict";

const VERSION = "__VERSION__";        // the build's hash, written by `bgzero build`
const FILES = __FILES__;              // every file of the build, relative to the scope
const PRECACHE = __PRECACHE__;        // the part every visit needs, fetched at install
const SHELL = "bgzero-shell-" + VERSION;
const MODELS = "bgzero-models";       // hashed file names: survives new versions
const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};
const SCOPE = new URL(self.registration.scope);
const listed = new Set(FILES);
let sharedFile = null;                // a file shared to the installed app, until it is taken
// Every request this worker saw (any origin), for the page's "Network activity" panel: the
// method tells whether a request could carry a body. Kept while this worker lives.
const seen = [];
const SEEN_MAX = 2000;

const scoped = (path) => new URL(path, SCOPE).href;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    try {
      await cache.addAll(PRECACHE.map((path) => new Request(scoped(path), {cache: "reload"})));
    } catch (error) {
      // Storage full or refused: no offline copy. Tell the pages; the site works online.
      await caches.delete(SHELL);
      await tell({type: "bgzero:storage-refused", reason: String(error && error.name)});
      throw error;
    }
    // The first install takes over at once; an update waits for the page's word.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("bgzero-shell-") && name !== SHELL) await caches.delete(name);
    }
    const models = await caches.open(MODELS);
    for (const request of await models.keys()) {
      if (!listed.has(relative(request.url))) await models.delete(request);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  seen.push({url: request.url, method: request.method});
  if (seen.length > SEEN_MAX) seen.shift();
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin) return;
  const path = relative(url.href);
  if (request.method === "POST" && path === "share") {
    event.respondWith(receiveShare(request));
  } else if (request.method === "GET" && request.mode === "navigate") {
    event.respondWith(fromShell(event, path.endsWith(".html") ? path : "index.html"));
  } else if (request.method === "GET" && listed.has(path)) {
    event.respondWith(path.endsWith(".onnx") ? model(event, path) : fromShell(event, path));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data === "bgzero:take-share" && sharedFile) {
    event.source.postMessage({type: "bgzero:share", file: sharedFile});
    sharedFile = null;
  } else if (data === "bgzero:activate") {
    self.skipWaiting();
  } else if (data === "bgzero:requests") {
    event.source.postMessage({type: "bgzero:requests", requests: seen});
  } else if (data.type === "bgzero:keep" && Array.isArray(data.files)) {
    // Models the page loaded before this worker controlled it (the very first visit).
    for (const path of data.files.filter((f) => listed.has(f) && f.endsWith(".onnx"))) {
      event.waitUntil(model(event, path).then((response) => response.arrayBuffer()));
    }
  }
});

function relative(href) {
  const url = new URL(href);
  return url.pathname.startsWith(SCOPE.pathname) ? url.pathname.slice(SCOPE.pathname.length) : "";
}

function isolate(response, path) {
  if (response.type === "opaque" || response.headers.has("Cross-Origin-Embedder-Policy")) {
    return response;
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  // As the server does: isolated parents on other origins may frame the embed page.
  if (path === "embed.html") headers.set("Cross-Origin-Resource-Policy", "cross-origin");
  return new Response(response.body, {status: response.status, statusText: response.statusText,
                                      headers});
}

async function fromShell(event, path) {
  const url = scoped(path);
  const cache = await caches.open(SHELL);
  const cached = await cache.match(url);
  if (cached) return isolate(cached, path);
  try {
    const response = await fetch(url);
    // Optional runtime parts (Pyodide, the WebGPU build) are cached the first time they
    // load, without holding the page's response back until the copy is stored.
    if (response.ok) event.waitUntil(cache.put(url, response.clone()).catch(() => {}));
    return isolate(response, path);
  } catch (error) {
    return Response.error();
  }
}

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function expectedHash(event, path) {
  const response = await fromShell(event, "models/catalog.json");
  const catalog = await response.json();
  const entries = [...catalog.models, ...Object.values(catalog.graphs)];
  const entry = entries.find((m) => m.file === path);
  return entry ? entry.sha256 : null;
}

async function model(event, path) {
  const url = scoped(path);
  const cache = await caches.open(MODELS);
  const expected = await expectedHash(event, path);
  const cached = await cache.match(url);
  if (cached) {
    const bytes = await cached.arrayBuffer();
    if (expected && (await sha256(bytes)) === expected) {
      return isolate(new Response(bytes, {headers: cached.headers}));
    }
    await cache.delete(url);   // corrupted or truncated: evict and fetch it again
  }
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    return Response.error();   // offline and never cached: the page says it needs a connection
  }
  if (!response.ok || !expected) return isolate(response);
  // The page reads one branch as it arrives (download progress); the other is admitted to
  // the cache only once its hash matches the build's catalog.
  const [forPage, forCache] = response.body.tee();
  const headers = new Headers(response.headers);
  event.waitUntil((async () => {
    const bytes = await new Response(forCache).arrayBuffer();
    if ((await sha256(bytes)) !== expected) return;
    try {
      await cache.put(url, new Response(bytes, {headers}));
    } catch (error) {
      await tell({type: "bgzero:storage-refused", reason: String(error && error.name)});
      return;
    }
    await tell({type: "bgzero:model-cached", file: path});
  })());
  return isolate(new Response(forPage, {status: response.status, headers}));
}

async function tell(message) {
  for (const client of await self.clients.matchAll({includeUncontrolled: true})) {
    client.postMessage(message);
  }
}

async function receiveShare(request) {
  try {
    const form = await request.formData();
    const file = form.get("image");
    if (file instanceof File) sharedFile = file;
  } catch (error) {
    sharedFile = null;
  }
  return Response.redirect(scoped("./?share=1"), 303);
}
