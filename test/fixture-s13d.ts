// What the session-13 "depthd" tests share: test/fixtures/s13d.json (scripts/fixtures/s13d.py) and the
// fixture helpers of test/fixture-s13a.ts (read back as tensors, element-wise comparison, backends).
import { readFileSync } from "node:fs";

export { closeTo, fromFixture, onBackends, type FixtureTensor } from "./fixture-s13a.js";

export const FIX = JSON.parse(readFileSync(new URL("./fixtures/s13d.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>;
