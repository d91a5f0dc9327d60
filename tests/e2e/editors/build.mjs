// Bundles each editor page's script (and its CSS) into site/, which the e2e tests serve.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");
const site = join(here, "site");
mkdirSync(site, { recursive: true });

const files = readdirSync(src);
for (const name of files.filter((f) => f.endsWith(".html") || f.endsWith(".css"))) {
  copyFileSync(join(src, name), join(site, name));
}
await build({
  entryPoints: files.filter((f) => f.endsWith(".js")).map((f) => join(src, f)),
  outdir: site,
  bundle: true,
  format: "iife",
  minify: true,
  target: "chrome120",
  legalComments: "none",
  logLevel: "warning",
  loader: { ".svg": "text", ".woff2": "dataurl", ".woff": "dataurl", ".ttf": "dataurl" },
});
