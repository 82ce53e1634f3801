// BG Zero's service worker: the app shell and runtime come from a cache versioned by the
// build, models are cached on first use once their sha256 checks out, and every response
// gets the cross-origin isolation headers, so threads work on hosts that cannot send them.
// Nothing a user made is ever cached: only GETs of files the build lists (and page
// navigations) are answered from the caches; a shared photo is held in memory until taken.
// A new build installs beside the running one and waits: the page offers a reload, and only
// then does it take over. A page never mixes two builds' files: pages (and their workers)
// open when a new build takes over stay pinned to their own build's cache until they close.
"use strict";

const VERSION = "__VERSION__";        // the build's hash, written by `bgzero build`
const FILES = __FILES__;              // every file of the build, relative to the scope
const PRECACHE = __PRECACHE__;        // the part every visit needs, fetched at install
const MODEL_DIR = __MODEL_DIR__;      // where model files live, and their suffixes:
const MODEL_SUFFIXES = __MODEL_SUFFIXES__;  // shared/catalog.py's one rule, written by the build
const SHELL = "bgzero-shell-" + VERSION;
const MODELS = "bgzero-models";       // hashed file names: survives new versions
const PINS = "bgzero-pins";           // the build each open page runs: outlives this worker
const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};
const SCOPE = new URL(self.registration.scope);
const listed = new Set(FILES);
const SHARED = "bgzero-shared";       // photos shared to the installed app, until the page takes them
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
    // Everything open now was loaded by the build before this one: it keeps that build.
    const state = await loadPins();
    // One query for both (in Firefox each may wait its 500 ms, and every fetch waits here).
    const asked = await ask(state);
    if (state.current && state.current !== VERSION) {
      for (const id of asked.open.ids) state.clients[id] ??= state.current;
    }
    state.current = VERSION;
    await tidy(asked).catch(() => {});   // a failed tidy only keeps old caches a while longer
    // Not awaited: in Firefox a claim waits on every worker's thread (see openClients), and
    // fetches wait for activation, new workers' scripts among them. What waits is the
    // claim's promise: the pages' controllerchange came at once (an update's reload 1.2-1.4
    // s after the click in Firefox ESR, as before).
    self.clients.claim().catch(() => {});
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
    event.waitUntil(tidySoon());   // a page closed or moved on: its build may go
  } else if (request.method === "GET") {
    event.respondWith(answer(event, path));
  }
});

// A model file (ONNX, or the LiteRT.js graph of one): cached on first use, by its hash.
function isModel(path) {
  return path.startsWith(MODEL_DIR) && MODEL_SUFFIXES.some((suffix) => path.endsWith(suffix));
}

async function answer(event, path) {
  const version = await pinned(event);
  if (version !== VERSION) return fromOlderBuild(event, version, path);
  if (!listed.has(path)) return fetch(event.request);
  return isModel(path) ? model(event, path) : fromShell(event, path);
}

self.addEventListener("message", (event) => {
  // Every message is {type, ...}; the types are named in src/web/shared/sw_messages.py.
  const data = event.data || {};
  if (data.type === "bgzero:take-share") {
    event.waitUntil(handOver(event.source));
  } else if (data.type === "bgzero:activate") {
    self.skipWaiting();
  } else if (data.type === "bgzero:requests") {
    event.source.postMessage({type: "bgzero:requests", requests: seen});
  } else if (data.type === "bgzero:keep" && Array.isArray(data.files)) {
    // Models the page loaded before this worker controlled it (the very first visit).
    for (const path of data.files.filter((f) => listed.has(f) && isModel(f))) {
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

// ---- pins: which build each open page (or worker) runs --------------------------------

// {current: version, clients: {client id: version}, starters: {worker id: id of its starter}}
let pins = null;
const PINS_URL = scoped("bgzero-pins.json");

// Read once per life of this worker (one shared promise: events that start together must
// not each read their own copy).
function loadPins() {
  pins ??= (async () => {
    const found = await (await caches.open(PINS)).match(PINS_URL);
    const state = found ? await found.json() : {current: null, clients: {}};
    state.starters ??= {};
    return state;
  })();
  return pins;
}

async function savePins() {
  const body = JSON.stringify(await loadPins());
  await (await caches.open(PINS)).put(PINS_URL, new Response(body));
}

// Firefox answers a query over worker clients only once each worker's thread is free, and a
// thread pool's idle threads block in Atomics.wait: awaited in "activate", it hung activation
// ~60 s, and every new worker's script (the next runtime's threads) behind it.
const ALL_CLIENTS_MS = 500;

// {ids, complete}: the ids of every open page and worker of this origin, or where the browser
// does not answer for the workers at once, of the pages and the workers they started that
// this worker saw start (a chain that passes a worker made from a blob URL, whose script is
// no request seen here, ends there).
async function openClients(state) {
  const ids = (clients) => new Set(clients.map((client) => client.id));
  const all = self.clients.matchAll({includeUncontrolled: true, type: "all"}).catch(() => null);
  const answer = await Promise.race([all, sleep(ALL_CLIENTS_MS)]);
  if (answer) return {ids: ids(answer), complete: true};
  const pages = ids(await self.clients.matchAll({includeUncontrolled: true, type: "window"}));
  for (const worker of Object.keys(state.starters)) {
    let starter = state.starters[worker];
    for (let depth = 0; starter in state.starters && depth < 8; depth++) {
      starter = state.starters[starter];
    }
    if (pages.has(starter)) pages.add(worker);   // a worker lives no longer than its page
  }
  return {ids: pages, complete: false};
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// The build that asks: an older one while that page is open and its cache is there.
async function pinned(event) {
  const state = await loadPins();
  const version = state.clients[event.clientId];
  if (event.resultingClientId && event.clientId) {   // a worker starts: who started it, and
    state.starters[event.resultingClientId] = event.clientId;
    // a worker an older page starts runs that page's build
    if (version && version !== VERSION) state.clients[event.resultingClientId] = version;
    event.waitUntil(savePins());
  }
  if (!version || version === VERSION) return VERSION;
  return (await caches.has("bgzero-shell-" + version)) ? version : VERSION;
}

async function fromOlderBuild(event, version, path) {
  const url = scoped(path);
  const cached = (await (await caches.open("bgzero-shell-" + version)).match(url)) ||
    (isModel(path) && (await (await caches.open(MODELS)).match(url)));
  // A file that build never stored can only come from the server (and the server's copy).
  return cached ? isolate(cached, path) : fetch(event.request);
}

// A tab closed a moment ago is still listed for a while (its worker ends after it), so while
// an older build is kept, look again a few times before leaving it to the next navigation.
async function tidySoon(tries = 10) {
  while (await tidy() && --tries > 0) await sleep(1000);
}

// The open clients, with the pinned ids and starters known before asking: one pinned while
// the answer comes is not in it, and must not be dropped for that.
async function ask(state) {
  const known = Object.keys(state.clients), starters = Object.keys(state.starters);
  return {known, starters, open: await openClients(state)};
}

// Drop the pins of closed pages, the builds no open page runs, and the models none lists
// (`asked`: ask()'s answer where the caller has one); true while an older build is open.
async function tidy(asked = null) {
  const state = await loadPins();
  const {known, starters, open: {ids: alive, complete}} = asked ?? await ask(state);
  if (complete) {   // else a pin not found may be a live worker's
    for (const id of known) if (!alive.has(id)) delete state.clients[id];
  }
  for (const id of starters) if (!alive.has(id)) delete state.starters[id];
  await savePins();
  const running = new Set([VERSION, ...Object.values(state.clients)]);
  const keep = new Set(listed);
  let keepAll = false;        // a build still open whose models are unknown: keep them all
  for (const name of await caches.keys()) {
    if (!name.startsWith("bgzero-shell-") || name === SHELL) continue;
    if (!running.has(name.slice("bgzero-shell-".length))) {
      await caches.delete(name);
      continue;
    }
    const catalog = await (await caches.open(name)).match(scoped("models/catalog.json"));
    if (!catalog) {
      keepAll = true;
      continue;
    }
    const {models, graphs} = await catalog.json();
    for (const entry of [...models, ...Object.values(graphs)]) keep.add(entry.file);
  }
  if (!keepAll) {
    const models = await caches.open(MODELS);
    for (const request of await models.keys()) {
      if (!keep.has(relative(request.url))) await models.delete(request);
    }
  }
  return running.size > 1;
}

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function expectedHash(event, path) {
  const response = await fromShell(event, "models/catalog.json");
  const catalog = await response.json();
  const models = catalog.models.flatMap((m) => (m.litert ? [m, m.litert] : [m]));
  const entries = [...models, ...Object.values(catalog.graphs)];
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

// Photos shared to the installed app (Android's share sheet: a POST to ./share): kept in Cache
// Storage, on this device, so a worker that stops before the page asks still has them.
async function receiveShare(request) {
  try {
    const form = await request.formData();
    const files = form.getAll("image").filter((file) => file instanceof File);
    const cache = await caches.open(SHARED);
    for (const [i, file] of files.entries()) {
      const headers = {"content-type": file.type || "application/octet-stream",
        "x-name": encodeURIComponent(file.name || "shared")};
      await cache.put(scoped(`shared/${Date.now()}-${i}`), new Response(file, {headers}));
    }
  } catch (error) {
    // Nothing readable was shared: the tool opens with no photo.
  }
  return Response.redirect(scoped("./?share=1"), 303);
}

async function handOver(client) {
  const cache = await caches.open(SHARED);
  const files = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    const blob = await response.blob();
    const name = decodeURIComponent(response.headers.get("x-name") || "shared");
    files.push(new File([blob], name, {type: blob.type}));
    await cache.delete(request);
  }
  client.postMessage({type: "bgzero:share", files});
}
