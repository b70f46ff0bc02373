/** The error-message assertion the op test files share. */
import assert from "node:assert/strict";

/** Asserts that fn throws an error of `type` whose message is exactly `message` (or matches it). */
export function throwsWith(fn: () => unknown, message: string | RegExp, type: ErrorConstructor = Error): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${String(e)}`);
    if (typeof message === "string") assert.equal((e as Error).message, message);
    else assert.match((e as Error).message, message);
    return true;
  });
}

/** The error `fn` throws (the test fails if it does not throw), for checks beyond the message. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  assert.fail("expected a throw");
}
