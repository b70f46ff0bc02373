// The fresh-process fallback of the in-process Stryker runner: started by
// scripts/stryker-node-test-runner.mjs with an IPC channel, it receives one request
// { files, ids (null: all tests of those files), activeMutant, hitLimit, bail }, sets the active
// mutant BEFORE loading the bundles (so module-init code sees it too, as in the tap runner), runs
// the tests with scripts/node-test-run.mjs, sends { results, hitCount } back and exits.
// Used where the shared process cannot be trusted: test files whose outcome depends on what ran
// before, and mutants that survived without ever being reached (a cache filled earlier in the
// process may have hidden them).
import { load, ns, run } from "./node-test-run.mjs";

process.once("message", async ({ files, ids, activeMutant, hitLimit, bail }) => {
  const n = ns();
  n.activeMutant = activeMutant;
  if (hitLimit !== undefined && hitLimit !== null) {
    n.hitCount = 0;
    n.hitLimit = hitLimit;
  }
  await load(files);
  const results = await run(files, ids ? new Set(ids) : null, { bail });
  process.send({ results, hitCount: n.hitCount }, () => process.exit(0));
});
