// The demo page serves committed copies of the built client and of its libraries: they must be exactly
// what `npm run build` and package-lock.json give (run `npm run demo` to refresh them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { COPIES, STATIC } from "../scripts/copy-to-demo.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

for (const [source, target] of COPIES) {
  test(`static/${target} is ${source}`, () => {
    assert.ok(existsSync(join(STATIC, target)), `static/${target} is missing: run npm run demo in clients/js`);
    assert.ok(readFileSync(join(STATIC, target)).equals(readFileSync(join(ROOT, source))),
      `static/${target} differs from ${source}: run npm run demo in clients/js and commit`);
  });
}
