// Builds the loadable extension from src/: dist/chrome and dist/firefox, which differ only in
// the manifest's background key (a service worker for Chrome, an event page for Firefox).
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { highlightCss } from "./src/content/categories.js";

const here = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(here, "manifest.json"), "utf8"));

const targets = {
  chrome: manifest,
  firefox: (() => {
    const { key: _key, minimum_chrome_version: _min, ...rest } = manifest;
    const contentScripts = rest.content_scripts.map(({ match_origin_as_fallback: _m, ...script }) => script);
    return {
      ...rest,
      content_scripts: contentScripts,
      background: { scripts: [manifest.background.service_worker] },
      browser_specific_settings: { gecko: { id: "tonecheck@tonecheck.dev", strict_min_version: "140.0" } },
    };
  })(),
};

for (const [browser, targetManifest] of Object.entries(targets)) {
  const out = join(here, "dist", browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: {
      background: join(here, "src/background/worker.js"),
      content: join(here, "src/content/main.js"),
      options: join(here, "src/options/options.js"),
      popup: join(here, "src/popup/popup.js"),
    },
    outdir: out,
    bundle: true,
    format: "iife",
    target: browser === "chrome" ? "chrome121" : "firefox140",
    logLevel: "warning",
  });
  // Each page's HTML sits beside its script in src/; the built pages load ../<page>.js.
  mkdirSync(join(out, "pages"));
  cpSync(join(here, "src/popup/popup.html"), join(out, "pages/popup.html"));
  cpSync(join(here, "src/options/options.html"), join(out, "pages/options.html"));
  cpSync(join(here, "src/shared/pages.css"), join(out, "pages/pages.css"));
  writeFileSync(join(out, "highlights.css"), highlightCss());
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(targetManifest, null, 2)}\n`);
}
