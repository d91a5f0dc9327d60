// The one way content scripts, the options page and the popup talk to the background worker.
// Every message is a plain object tagged with `kind`; every reply is {ok: true, ...} or
// {ok: false, error: {code, message}}. Nothing here throws: a failure comes back as a reply.
import { browserApi as api } from "./browser.js";


/**
 * Every message kind, with the fields it carries; the background worker's handler table
 * (background/worker.js) answers each one.
 * @typedef {{code: string, message: string, field?: string, status?: number}} ErrorInfo
 * @typedef {{ok: false, error: ErrorInfo}} Failure
 * @typedef {{kind: "site-state"}} SiteStateMessage             - reply {ok, host, enabled, debounceMs}
 * @typedef {{kind: "site-set", host: string, enabled: boolean, tabId?: number}} SiteSetMessage
 *   - reply {ok, host, enabled}; extension pages only
 * @typedef {{kind: "lexicon-get"}} LexiconMessage               - reply {ok, lexicon}
 * @typedef {{kind: "check", editorKey: string, text: string, draftId: string}} CheckMessage
 *   - reply {ok, result}: the server's /v1/check answer
 * @typedef {{kind: "check-cancel", editorKey: string}} CheckCancelMessage - reply {ok}
 * @typedef {{kind: "feedback", draftId?: string, text: string, start: number, end: number,
 *   verdict: "not_a_hedge" | "useful"}} FeedbackMessage             - reply {ok, id}
 * @typedef {{kind: "settings-get"}} SettingsGetMessage           - reply {ok, settings}; extension pages only
 * @typedef {{kind: "settings-save", settings: object}} SettingsSaveMessage - reply {ok, settings}
 * @typedef {{kind: "connection-test", serverUrl: string, token: string}} ConnectionTestMessage
 *   - reply {ok, ...}; extension pages only
 * @typedef {{kind: "popup-state", tabId: number}} PopupStateMessage
 *   - reply {ok, host, enabled, byDefault, scores}; extension pages only
 * @typedef {{kind: "site-changed"}} SiteChangedMessage            - background → content, no reply
 * @typedef {SiteStateMessage | SiteSetMessage | LexiconMessage | CheckMessage | CheckCancelMessage
 *   | FeedbackMessage | SettingsGetMessage | SettingsSaveMessage | ConnectionTestMessage
 *   | PopupStateMessage | SiteChangedMessage} Message
 */

export const KINDS = Object.freeze({
  siteState: "site-state",
  siteSet: "site-set",
  lexicon: "lexicon-get",
  check: "check",
  checkCancel: "check-cancel",
  feedback: "feedback",
  settingsGet: "settings-get",
  settingsSave: "settings-save",
  connectionTest: "connection-test",
  popupState: "popup-state",
  // background → content
  siteChanged: "site-changed",
});

async function send(kind, fields = {}) {
  try {
    const reply = await api.runtime.sendMessage({ kind, ...fields });
    return reply ?? { ok: false, error: { code: "no_reply", message: "The tonecheck background worker did not answer." } };
  } catch {
    return {
      ok: false,
      error: { code: "extension_unavailable", message: "tonecheck was updated or reloaded; reload this page to use it again." },
    };
  }
}

export const client = {
  siteState: () => send(KINDS.siteState),
  setSite: (host, enabled, tabId) => send(KINDS.siteSet, { host, enabled, tabId }),
  lexicon: () => send(KINDS.lexicon),
  check: (editorKey, text, draftId) => send(KINDS.check, { editorKey, text, draftId }),
  cancelCheck: (editorKey) => send(KINDS.checkCancel, { editorKey }),
  feedback: (fields) => send(KINDS.feedback, fields),
  settings: () => send(KINDS.settingsGet),
  saveSettings: (settings) => send(KINDS.settingsSave, { settings }),
  testConnection: (serverUrl, token) => send(KINDS.connectionTest, { serverUrl, token }),
  popupState: (tabId) => send(KINDS.popupState, { tabId }),
};

/** Listens for kind-tagged messages from the background worker; `handlers` maps kind → function. */
export function onBackgroundMessage(handlers) {
  api.runtime.onMessage.addListener((message) => {
    const handler = handlers[message?.kind];
    if (handler) {
      try {
        handler(message);
      } catch {
        // A page must never see tonecheck's errors; the next edit repaints anyway.
      }
    }
    return false;
  });
}
