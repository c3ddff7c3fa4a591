// Copies the built client and the page's vendored libraries (the exact versions in package-lock.json)
// into the demo page's static files, which the app serves as they are (no bundler, no build step in Maven).
// `npm run demo` writes them; `test/static-copies.test.mjs` fails when a committed copy differs.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const STATIC = join(ROOT, "..", "..", "bootstrap", "src", "main", "resources", "static");

/** [source in clients/js, target under static/]. */
export const COPIES = [
  ["dist/runrelay.js", "lib/runrelay.js"],
  ["node_modules/marked/lib/marked.esm.js", "vendor/marked.esm.js"],
  ["node_modules/marked/LICENSE", "vendor/marked.LICENSE"],
  ["node_modules/dompurify/dist/purify.es.mjs", "vendor/purify.es.js"], // .js: served with a JavaScript type everywhere
  ["node_modules/dompurify/LICENSE", "vendor/dompurify.LICENSE"],
  ["node_modules/@highlightjs/cdn-assets/es/highlight.min.js", "vendor/highlight.min.js"],
  ["node_modules/@highlightjs/cdn-assets/styles/github.min.css", "vendor/highlight-github.min.css"],
  ["node_modules/@highlightjs/cdn-assets/LICENSE", "vendor/highlight.LICENSE"],
];

export function read(path) {
  return readFileSync(path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [source, target] of COPIES) {
    mkdirSync(dirname(join(STATIC, target)), { recursive: true });
    copyFileSync(join(ROOT, source), join(STATIC, target));
    console.log(`${source} -> static/${target}`);
  }
}
