/**
 * Checks written for the survivors of the src/io mutation run (docs/mutation/history.md, issue 14):
 * checkpoint.ts's argument errors, quoted in full (a mutant that empties the function name or the
 * example in a message, or drops one clause of a guard, changes the message or lets the bad value
 * through to a TypeError further down), and what loadWeights says a .pt file holds instead of a
 * state dict (fixtures from scripts/fixtures/pt_containers.py, written by PyTorch 1.13).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tensor } from "../src/index.js";
import { loadCheckpoint, loadPytorch, loadWeights, saveCheckpoint, saveWeights } from "../src/io/checkpoint.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-mutation-io-ckpt-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const fixture = (name: string): string => {
  const f = path.join(tmp, name);
  fs.copyFileSync(new URL(`fixtures/interop/${name}`, import.meta.url), f);
  return f;
};
const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const exactly = (msg: string): RegExp => new RegExp(`^Error: ${esc(msg)}$`);

test("mutation io: loadPytorch's options errors name loadPytorch and show an example", async () => {
  const f = fixture("containers_list.pt");
  await assert.rejects(loadPytorch(f, 5 as never), exactly("loadPytorch: options must be an object like { maxBytes: 8e9 }, got number 5"));
  await assert.rejects(loadPytorch(f, { maxByte: 1 } as never), /^Error: loadPytorch: unknown option 'maxByte'; did you mean 'maxBytes'\?/);
});

test("mutation io: saveWeights refuses a state dict, metadata or options that are not what it writes, before writing", async () => {
  const f = path.join(tmp, "w.safetensors");
  const sd = { w: tensor([1, 2]) };
  const stateDict = "a state dict (an object of tensors by name, as model.stateDict() returns)";
  await assert.rejects(saveWeights(f, null as never), exactly(`saveWeights: stateDict must be ${stateDict}, got null`));
  await assert.rejects(saveWeights(f, 3 as never), exactly(`saveWeights: stateDict must be ${stateDict}, got number 3`));
  await assert.rejects(saveWeights(f, [tensor([1])] as never), exactly(`saveWeights: stateDict must be ${stateDict}, got an array of length 1`));
  await assert.rejects(saveWeights(f, tensor([1]) as never), exactly(`saveWeights: stateDict must be ${stateDict}, got a Tensor of shape [1] (float32)`));
  const metadata = "an object of strings (safetensors' __metadata__)";
  await assert.rejects(saveWeights(f, sd, null as never), exactly(`saveWeights: metadata must be ${metadata}, got null`));
  await assert.rejects(saveWeights(f, sd, "x" as never), exactly(`saveWeights: metadata must be ${metadata}, got string "x"`));
  await assert.rejects(saveWeights(f, sd, { a: "1", b: 2 } as never), exactly(`saveWeights: metadata must be ${metadata}, got an object`));
  await assert.rejects(saveWeights(f, sd, {}, 7 as never), exactly(`saveWeights: options must be an object like { floatDtype: "F16" }, got number 7`));
  assert.equal(fs.existsSync(f), false);
  // All strings is fine, and the metadata is written next to safetensors' "format".
  await saveWeights(f, sd, { a: "1" });
  const header = JSON.parse(fs.readFileSync(f).subarray(8, 8 + Number(fs.readFileSync(f).readBigUInt64LE(0))).toString());
  assert.deepEqual(header.__metadata__, { format: "pt", a: "1" });
});

test("mutation io: loadWeights names what a .pt file holds instead of a state dict: one item, None, a number", async () => {
  const refused = async (name: string, what: string): Promise<void> => {
    const file = fixture(name);
    await assert.rejects(loadWeights(file), exactly(`loadWeights: ${file} holds ${what}, not a state dict; use loadPytorch(file) and pick the state dict (e.g. ckpt.model)`));
  };
  await refused("containers_one.pt", "a list of 1 item");
  await refused("containers_none.pt", "None");
  await refused("containers_number.pt", "a number");
  // loadPytorch returns them as they were saved.
  assert.equal(await loadPytorch(fixture("containers_none.pt")), null);
  assert.equal(await loadPytorch(fixture("containers_number.pt")), 2.5);
});

test("mutation io: loadWeights lists all of exactly 8 keys with nothing more to count", async () => {
  const file = fixture("containers_eight_mixed.pt");
  const keys = [...Array.from({ length: 7 }, (_, i) => `layer${i}.weight`), "step"].join(", ");
  await assert.rejects(loadWeights(file), exactly(`loadWeights: ${file} holds an object with keys ${keys}, not a state dict; use loadPytorch(file) and pick the state dict (e.g. ckpt.model)`));
});

test("mutation io: loadWeights reads a file by its last extension only (x.pt.safetensors is safetensors)", async () => {
  const f = path.join(tmp, "x.pt.safetensors");
  await saveWeights(f, { w: tensor([1, 2, 3]) });
  const back = await loadWeights(f);
  assert.deepEqual(Object.keys(back), ["w"]);
  assert.deepEqual(back.w.tolist(), [1, 2, 3]);
});

test("mutation io: the state loadCheckpoint returns is plain, writable data at every level", async () => {
  const f = path.join(tmp, "state.safetensors");
  await saveCheckpoint(f, { epoch: 1, opt: { lr: 0.1, steps: [1, 2] } });
  const back = (await loadCheckpoint(f)) as { epoch: number; opt: { lr: number; steps: number[] } };
  back.epoch = 2;
  back.opt.lr = 0.5;
  back.opt.steps.push(3);
  delete (back as Partial<typeof back>).epoch;
  assert.deepEqual(back, { opt: { lr: 0.5, steps: [1, 2, 3] } });
});

test("mutation io: loadCheckpoint names itself for a misspelt option", async () => {
  await assert.rejects(loadCheckpoint(path.join(tmp, "none.safetensors"), { maxByte: 1 } as never), /^Error: loadCheckpoint: unknown option 'maxByte'; did you mean 'maxBytes'\?/);
});
