/**
 * The backend registry (src/backend/index.ts): registering a name again replaces the backend that
 * setBackend gives under it, instead of silently keeping the instance made from the old factory.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { JsBackend } from "../src/backend/js/index.js";
import { getBackend, listBackends, registerBackend, setBackend, tensor } from "../src/index.js";

/** A js backend under another name, counting how often its factory runs. */
function counted(name: string): { make: () => JsBackend; made: JsBackend[] } {
  const made: JsBackend[] = [];
  return {
    made,
    make: () => {
      const b = new JsBackend();
      Object.defineProperty(b, "name", { value: name });
      made.push(b);
      return b;
    },
  };
}

test("registerBackend then setBackend: a name registered again gives the new factory's backend", () => {
  const before = getBackend();
  try {
    const first = counted("registry-first"), second = counted("registry-second");
    registerBackend("registry-test", first.make);
    assert.equal(setBackend("registry-test"), first.made[0]);
    // Selecting it again reuses the instance: the factory runs once per registration.
    assert.equal(setBackend("registry-test"), first.made[0]);
    assert.equal(first.made.length, 1);
    registerBackend("registry-test", second.make);
    // Registering does not switch the backend in use; setBackend does.
    assert.equal(getBackend(), "registry-first");
    const b = setBackend("registry-test");
    assert.equal(b, second.made[0]);
    assert.equal(getBackend(), "registry-second");
    assert.deepEqual(tensor([1, 2]).add(1).tolist(), [2, 3]);
    assert.equal(first.made.length, 1);
    assert.ok(listBackends().includes("registry-test"));
  } finally {
    setBackend(before);
  }
});
