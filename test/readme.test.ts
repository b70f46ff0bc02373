// The README's promises: its training example is the file CI type-checks, and every doc it links exists.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";

const readme = fs.readFileSync("README.md", "utf8");

test("the README's training example is examples/quickstart.ts verbatim", () => {
  assert.ok(readme.includes(fs.readFileSync("examples/quickstart.ts", "utf8").trimEnd()));
});

test("the README starts with the quick start, and the commands it shows exist", () => {
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  assert.ok(readme.indexOf("## Quick start") < readme.indexOf("npm test"));
  for (const script of ["start", "test", "prepare"]) assert.ok(pkg.scripts[script], `package.json has no ${script} script`);
  assert.equal(fs.readFileSync(".ci/run", "utf8").match(/^npm (ci|test)$/gm)?.join(","), "npm ci,npm test");
});

test("every file the README links to exists", () => {
  for (const [, target] of readme.matchAll(/\]\(([^)#]+)\)/g)) assert.ok(fs.existsSync(target), `README links to missing ${target}`);
});
