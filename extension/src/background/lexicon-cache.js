// The hedge lexicon from /v1/lexicon, cached in extension storage with its ETag so content
// scripts can underline at once, even when the server is down.
import { callServer } from "./server.js";
import { loadSettings } from "./settings.js";
import { browserApi as api } from "../shared/browser.js";

const CACHE_KEY = "lexiconCache";
const FRESH_FOR_MS = 10 * 60 * 1000;

let refreshing = null;

/**
 * The cached lexicon; fetched first when the cache is from another server (or there is none),
 * else refreshed in the background. When the server cannot be reached, the last lexicon any
 * server gave still underlines.
 */
export async function getLexicon() {
  const settings = await loadSettings();
  const { [CACHE_KEY]: cache } = await api.storage.local.get(CACHE_KEY);
  const usable = cache && cache.serverUrl === settings.serverUrl ? cache : null;
  if (!usable) {
    const refreshed = await refreshLexicon(settings, null);
    if (refreshed.ok) return { ok: true, lexicon: refreshed.cache.lexicon };
    return { ok: Boolean(cache), lexicon: cache?.lexicon ?? null, error: refreshed.error };
  }
  if (Date.now() - usable.fetchedAt > FRESH_FOR_MS) refreshLexicon(settings, usable);
  return { ok: true, lexicon: usable.lexicon };
}

export function refreshLexicon(settings, cache) {
  refreshing ??= fetchLexicon(settings, cache).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function fetchLexicon(settings, cache) {
  const headers = cache?.etag ? { "If-None-Match": cache.etag } : {};
  const reply = await callServer(settings, "GET", "/v1/lexicon", { headers });
  if (!reply.ok) return reply;
  if (!Array.isArray(reply.data?.entries) && reply.status !== 304) {
    return { ok: false, error: { code: "bad_response", message: `${settings.serverUrl}/v1/lexicon did not answer with a lexicon.` } };
  }
  const next =
    reply.status === 304 && cache
      ? { ...cache, fetchedAt: Date.now() }
      : { serverUrl: settings.serverUrl, etag: reply.headers.get("ETag"), lexicon: reply.data, fetchedAt: Date.now() };
  await api.storage.local.set({ [CACHE_KEY]: next });
  return { ok: true, cache: next };
}

