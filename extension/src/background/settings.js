// The agent's settings, kept in extension storage (the token never leaves the background
// worker except to the configured server and to the options page).
import { isSiteEnabled } from "../shared/sites.js";
import { browserApi as api } from "../shared/browser.js";


export const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: "http://127.0.0.1:8765",
  token: "",
  debounceMs: 400,
  sites: {},
});

export async function loadSettings() {
  const stored = await api.storage.local.get(Object.keys(DEFAULT_SETTINGS));
  return { ...DEFAULT_SETTINGS, ...stored, sites: { ...(stored.sites ?? {}) } };
}

/** Checks and stores the fields given; returns the error for the first bad one, if any. */
export async function saveSettings(changes) {
  const clean = {};
  if ("serverUrl" in changes) {
    let url;
    try {
      url = new URL(String(changes.serverUrl).trim());
    } catch {
      return fieldError("serverUrl", changes.serverUrl, "is not a URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return fieldError("serverUrl", changes.serverUrl, "must start with http:// or https://");
    }
    clean.serverUrl = url.origin + url.pathname.replace(/\/+$/, "");
  }
  if ("token" in changes) clean.token = String(changes.token).trim();
  if ("debounceMs" in changes) {
    const value = Number(changes.debounceMs);
    if (!Number.isInteger(value) || value < 50 || value > 5000) {
      return fieldError("debounceMs", changes.debounceMs, "must be a whole number of milliseconds from 50 to 5000");
    }
    clean.debounceMs = value;
  }
  if ("sites" in changes) {
    const sites = {};
    for (const [host, enabled] of Object.entries(changes.sites ?? {})) {
      sites[String(host).trim().toLowerCase()] = enabled === true;
    }
    clean.sites = sites;
  }
  await api.storage.local.set(clean);
  return { ok: true, settings: { ...(await loadSettings()), token: undefined } };
}

function fieldError(field, value, problem) {
  return { ok: false, error: { code: "bad_setting", field, message: `Setting '${field}' has value ${JSON.stringify(value)}: it ${problem}.` } };
}

export async function siteEnabled(host) {
  const settings = await loadSettings();
  return isSiteEnabled(host, settings.sites);
}

export async function setSite(host, enabled) {
  const settings = await loadSettings();
  await api.storage.local.set({ sites: { ...settings.sites, [host]: enabled === true } });
}
