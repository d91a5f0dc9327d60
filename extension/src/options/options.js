// The options page: server URL, token, debounce, sites, and "Test connection".
import { client } from "../shared/client.js";
import { DEFAULT_SITES } from "../shared/sites.js";
import { browserApi as api } from "../shared/browser.js";

const form = document.getElementById("settings");
const result = document.getElementById("result");
const field = (name) => document.getElementById(name);
let sites = {};

function say(text, ok) {
  result.textContent = text;
  result.className = ok ? "ok" : "error";
}

async function load() {
  const reply = await client.settings();
  if (!reply.ok) return say(reply.error.message, false);
  const { settings } = reply;
  field("serverUrl").value = settings.serverUrl;
  field("token").value = settings.token;
  field("debounceMs").value = settings.debounceMs;
  sites = settings.sites;
  renderSites();
}

function renderSites() {
  const rows = [];
  const hosts = [...new Set([...Object.keys(sites), ...DEFAULT_SITES])];
  for (const host of hosts) {
    const row = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = host;
    const origin = document.createElement("td");
    origin.textContent = DEFAULT_SITES.includes(host) ? "default helpdesk" : "switched on by you";
    const cell = document.createElement("td");
    const toggle = document.createElement("input");
    toggle.type = "checkbox";
    toggle.checked = Object.hasOwn(sites, host) ? sites[host] : DEFAULT_SITES.includes(host);
    toggle.setAttribute("aria-label", `tonecheck on ${host}`);
    toggle.addEventListener("change", async () => {
      sites = { ...sites, [host]: toggle.checked };
      await client.saveSettings({ sites });
    });
    cell.append(toggle);
    row.append(name, origin, cell);
    rows.push(row);
  }
  document.querySelector("#sites tbody").replaceChildren(...rows);
}

/** A server outside the built-in loopback permission needs the agent's consent first. */
async function permitServer(serverUrl) {
  let origin;
  try {
    origin = `${new URL(serverUrl).origin}/*`;
  } catch {
    return true; // the background worker names the bad value
  }
  if (await api.permissions.contains({ origins: [origin] })) return true;
  return api.permissions.request({ origins: [origin] });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const serverUrl = field("serverUrl").value;
  if (!(await permitServer(serverUrl))) return say(`tonecheck may not talk to ${serverUrl} until you allow it.`, false);
  const reply = await client.saveSettings({ serverUrl, token: field("token").value, debounceMs: field("debounceMs").value });
  say(reply.ok ? "Saved." : reply.error.message, reply.ok);
});

field("test").addEventListener("click", async () => {
  say("Testing…", true);
  const serverUrl = field("serverUrl").value;
  if (!(await permitServer(serverUrl))) return say(`tonecheck may not talk to ${serverUrl} until you allow it.`, false);
  const reply = await client.testConnection(serverUrl, field("token").value);
  if (reply.ok) say(`Connected: model ${reply.modelVersion ?? "(none loaded)"}, lexicon ${reply.lexiconVersion ?? "?"}, server ${reply.status}.`, true);
  else say(reply.error.message, false);
});

document.getElementById("add-site").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = field("new-site");
  const raw = input.value.trim();
  const host = (raw.includes("://") ? new URL(raw).hostname : raw.split("/")[0]).toLowerCase();
  if (!host) return;
  sites = { ...sites, [host]: true };
  const reply = await client.saveSettings({ sites });
  if (!reply.ok) return say(reply.error.message, false);
  input.value = "";
  renderSites();
});

load();
