// The one way content scripts, the options page and the popup talk to the background worker.
// Every message is a plain object tagged with `kind`; every reply is {ok: true, ...} or
// {ok: false, error: {code, message}}. Nothing here throws: a failure comes back as a reply.

const api = globalThis.browser ?? globalThis.chrome;

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
