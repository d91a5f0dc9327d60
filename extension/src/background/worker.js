// The background worker: owns the network, the token and the lexicon cache. Content scripts,
// the popup and the options page reach it only through shared/client.js.
import { KINDS } from "../shared/client.js";
import { cancelCheck, check, feedback } from "./checks.js";
import { testConnection } from "./connection.js";
import { getLexicon } from "./lexicon-cache.js";
import { loadSettings, saveSettings } from "./settings.js";
import { broadcastSiteChange, popupState, setSiteFromPopup, siteState } from "./site-state.js";
import { browserApi as api } from "../shared/browser.js";


const handlers = {
  [KINDS.siteState]: siteState,
  [KINDS.siteSet]: setSiteFromPopup,
  [KINDS.lexicon]: () => getLexicon(),
  [KINDS.check]: check,
  [KINDS.checkCancel]: cancelCheck,
  [KINDS.feedback]: feedback,
  [KINDS.settingsGet]: async () => ({ ok: true, settings: await loadSettings() }),
  [KINDS.settingsSave]: (message) => saveSettings(message.settings ?? {}),
  [KINDS.connectionTest]: testConnection,
  [KINDS.popupState]: popupState,
};

// Only the extension's own pages may read settings (the token) or change them.
const EXTENSION_PAGES_ONLY = new Set([KINDS.settingsGet, KINDS.settingsSave, KINDS.connectionTest, KINDS.siteSet, KINDS.popupState]);

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.kind];
  if (!handler) {
    sendResponse({ ok: false, error: { code: "unknown_kind", message: `Unknown message kind ${JSON.stringify(message?.kind)}.` } });
    return false;
  }
  if (EXTENSION_PAGES_ONLY.has(message.kind) && sender.tab && !sender.url?.startsWith(api.runtime.getURL(""))) {
    sendResponse({ ok: false, error: { code: "forbidden", message: `'${message.kind}' is only for tonecheck's own pages.` } });
    return false;
  }
  Promise.resolve()
    .then(() => handler(message, sender))
    .then(sendResponse, (error) =>
      sendResponse({ ok: false, error: { code: "internal", message: `tonecheck failed: ${error?.message ?? error}` } }),
    );
  return true;
});

api.storage.onChanged.addListener((changes, area) => {
  if (area !== "local") return;
  if ("sites" in changes) broadcastSiteChange();
});
