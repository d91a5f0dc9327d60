// The toolbar popup: tonecheck on or off for this site, and the last scores in this tab.
import { client } from "../shared/client.js";
import { PRINCIPLES } from "../shared/principles.js";

const params = new URLSearchParams(location.search);
const tabId = params.has("tabId") ? Number(params.get("tabId")) : undefined;
const toggle = document.getElementById("enabled");
let host = "";

async function load() {
  const state = await client.popupState(tabId);
  if (!state.ok) return;
  host = state.host;
  document.getElementById("host").textContent = host || "(no site on this page)";
  toggle.checked = state.enabled;
  toggle.disabled = !host;
  renderScores(state.scores);
}

function renderScores(last) {
  const section = document.getElementById("scores");
  if (!last || last.overall === null || last.overall === undefined) return;
  const list = document.createElement("dl");
  for (const [key, label] of [...PRINCIPLES, ["overall", "Overall"]]) {
    const term = document.createElement("dt");
    term.textContent = label;
    const value = document.createElement("dd");
    value.dataset.key = key;
    value.textContent = String((key === "overall" ? last.overall : last.scores?.[key]) ?? "–");
    list.append(term, value);
  }
  const when = document.createElement("p");
  when.className = "hint";
  when.textContent = `Last check ${new Date(last.at).toLocaleTimeString()}, model ${last.modelVersion}.`;
  section.replaceChildren(list, when);
}

toggle.addEventListener("change", async () => {
  await client.setSite(host, toggle.checked, tabId);
});

load();
