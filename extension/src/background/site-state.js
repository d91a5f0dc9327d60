// Which sites tonecheck runs on, as the content scripts and the popup see it.
import { KINDS } from "../shared/client.js";
import { defaultSiteFor, hostOf } from "../shared/sites.js";
import { lastScores } from "./checks.js";
import { loadSettings, setSite, siteEnabled } from "./settings.js";
import { browserApi as api } from "../shared/browser.js";


/** For a content script: is its tab's site enabled, and how long to wait before checking. */
export async function siteState(_message, sender) {
  const host = hostOf(sender.tab?.url ?? "");
  const settings = await loadSettings();
  return { ok: true, host, enabled: await siteEnabled(host), debounceMs: settings.debounceMs };
}

async function tabFor(tabId) {
  if (Number.isInteger(tabId)) return api.tabs.get(tabId);
  const [tab] = await api.tabs.query({ active: true, lastFocusedWindow: true });
  return tab;
}

/** For the popup: the site of the active tab (or of `tabId`), its switch and its last scores. */
export async function popupState(message) {
  const tab = await tabFor(message.tabId);
  const host = hostOf(tab?.url ?? "");
  if (!host) return { ok: true, host: "", enabled: false, byDefault: false, scores: null };
  return {
    ok: true,
    tabId: tab.id,
    host,
    enabled: await siteEnabled(host),
    byDefault: defaultSiteFor(host) !== null,
    scores: await lastScores(tab.id),
  };
}

export async function setSiteFromPopup(message) {
  const host = String(message.host ?? "").toLowerCase();
  if (!host) return { ok: false, error: { code: "bad_host", message: "This page has no site name tonecheck can switch." } };
  await setSite(host, message.enabled === true);
  return { ok: true, host, enabled: message.enabled === true };
}

/** Tells every tab's content scripts that the site switches changed, so they start or stop. */
export async function broadcastSiteChange() {
  const tabs = await api.tabs.query({});
  await Promise.all(
    tabs.map((tab) => api.tabs.sendMessage(tab.id, { kind: KINDS.siteChanged }).catch(() => undefined)),
  );
}
