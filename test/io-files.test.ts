// src/io/files.ts at its edges: the size cap is inclusive, atomicWriteFile loops over short writes
// and refuses a write that makes no progress, removeStaleTempFiles deletes only dead writers' files,
// and the path check names what it got.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { atomicWriteFile, loadSafetensors, readFileCapped, removeStaleTempFiles, saveSafetensors } from "../src/io/files.js";

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-files-"));
const exactly = (message: string) => (e: Error): boolean => (assert.equal(e.message, message), true);

test("readFileCapped: a file exactly at the limit is read, one byte more is refused with the option named", async () => {
  const dir = tmp();
  try {
    const file = path.join(dir, "f.bin");
    fs.writeFileSync(file, Uint8Array.from([1, 2, 3, 4, 5]));
    assert.deepEqual([...(await readFileCapped(file, 5, "who", "maxBytes"))], [1, 2, 3, 4, 5]);
    await assert.rejects(readFileCapped(file, 4, "who", "maxThings"), exactly(`who: ${file} is 5 bytes, more than maxThings (4); pass a larger { maxThings } to read it`));
    await saveSafetensors(path.join(dir, "s.safetensors"), { x: { dtype: "uint8", shape: [1], data: new Uint8Array([7]) } });
    const size = fs.statSync(path.join(dir, "s.safetensors")).size;
    assert.deepEqual([...(await loadSafetensors(path.join(dir, "s.safetensors"), { maxBytes: size })).tensors.x.data], [7]);
    await assert.rejects(loadSafetensors(path.join(dir, "s.safetensors"), { maxBytes: size - 1 }), exactly(`safetensors: ${path.join(dir, "s.safetensors")} is ${size} bytes, more than maxBytes (${size - 1}); pass a larger { maxBytes } to read it`));
    for (const [bad, got] of [[null, "null"], [[1], "an array"], [new Map(), "Map"], [Object.create(null), "an object"], [3, "number 3"]] as const) {
      await assert.rejects(loadSafetensors(bad as never), exactly(`loadSafetensors: expected a file path string, got ${got}`));
    }
    await assert.rejects(loadSafetensors(file, { maxbytes: 1 } as never), exactly("loadSafetensors: unknown option 'maxbytes'; did you mean 'maxBytes'? (it takes maxBytes, maxHeaderBytes)"));
    await assert.rejects(saveSafetensors(file, {}, {}, { floatdtype: "F16" } as never), exactly("saveSafetensors: unknown option 'floatdtype'; did you mean 'floatDtype'? (it takes floatDtype, dtypes)"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("atomicWriteFile: short writes continue where they stopped; a write of 0 bytes is an error and leaves nothing behind", async (t) => {
  const dir = tmp();
  try {
    const file = path.join(dir, "out.bin");
    fs.writeFileSync(file, "old");
    const data = Uint8Array.from({ length: 23 }, (_, i) => i * 3);
    const realOpen = fs.promises.open;
    let writes = 0;
    let closes = 0;
    let limit = 7;
    t.mock.method(fs.promises, "open", async (p: string, flags: string, mode?: number) => {
      const h = await realOpen(p, flags, mode);
      if (flags === "wx") {
        const realWrite = h.write.bind(h);
        const realClose = h.close.bind(h);
        (h as { close: unknown }).close = () => (closes++, realClose());
        (h as { write: unknown }).write = async (buf: Uint8Array, off: number, len: number, pos: number) => {
          writes++;
          if (limit === 0) return { bytesWritten: 0, buffer: buf };
          return realWrite(buf, off, Math.min(len, limit), pos);
        };
      }
      return h;
    });
    await atomicWriteFile(file, data);
    assert.deepEqual([...fs.readFileSync(file)], [...data]);
    assert.equal(writes, 4, "7 + 7 + 7 + 2 bytes");
    limit = 0;
    await assert.rejects(atomicWriteFile(file, "new"), exactly(`atomicWriteFile: ${file}: write made no progress`));
    mock.restoreAll();
    assert.deepEqual([...fs.readFileSync(file)], [...data], "the previous file is intact");
    assert.deepEqual(fs.readdirSync(dir), ["out.bin"], "the temporary file is removed");
    assert.equal(closes, 2, "the failed write's handle is closed too");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("removeStaleTempFiles: deletes the temporary files of writers that are gone, nothing else", async () => {
  const dir = tmp();
  try {
    // A pid that has exited (a child that ran and was reaped).
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const names = [
      `.model.safetensors.${dead}.0.tmp`, // a dead writer's: removed
      `.a.b.${dead}.12.tmp`, // names may hold dots
      `.mine.${process.pid}.3.tmp`, // this process's: kept
      `.init.1.0.tmp`, // pid 1 is alive (or not ours to signal: EPERM): kept
      `model.${dead}.0.tmp`, // not a hidden temp name
      `model.st.${dead}.0.tmp`, // not hidden either, though it ends like one
      `.x.${dead}.0.tmp.bak`, // not ending in .tmp
      `.x.${dead}.z.tmp`, // counter not a number
      `.${dead}.0.tmp`, // no name part
    ];
    for (const n of names) fs.writeFileSync(path.join(dir, n), "x");
    const removed = await removeStaleTempFiles(dir);
    assert.deepEqual(removed.sort(), [`.a.b.${dead}.12.tmp`, `.model.safetensors.${dead}.0.tmp`].sort());
    assert.deepEqual(fs.readdirSync(dir).sort(), names.filter((n) => !removed.includes(n)).sort());
    assert.deepEqual(await removeStaleTempFiles(dir), []);
    // A process that exists but is not ours to signal (EPERM) is alive: its file stays.
    const realKill = process.kill;
    mock.method(process, "kill", (pid: number, sig?: number) => {
      if (pid === dead) throw Object.assign(new Error("kill EPERM"), { code: "EPERM" });
      return realKill.call(process, pid, sig);
    });
    fs.writeFileSync(path.join(dir, `.other.${dead}.0.tmp`), "x");
    assert.deepEqual(await removeStaleTempFiles(dir), []);
    mock.restoreAll();
    assert.deepEqual(await removeStaleTempFiles(dir), [`.other.${dead}.0.tmp`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
