// The image decoding path against Pillow (scripts/fixtures/mutation_data.py) and its format checks:
// the cases session 10's mutation run of src/data/image found unchecked
// (docs/mutation/session-10-mutd.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { data } from "../src/index.js";
import { imageFormat } from "../src/data/image/decode.js";

const FX = JSON.parse(readFileSync(new URL("./fixtures/mutation-data.json", import.meta.url), "utf8")) as {
  trns: Record<"grey" | "rgb", { png: string; RGBA: number[]; RGB: number[]; L: number[] }>;
};

test("PNG tRNS colour keys (grey and RGB) become alpha as in Pillow: 0 where the key matches, 255 elsewhere", async () => {
  const pool = new data.DecodePool({ workers: 1 });
  try {
    for (const kind of ["grey", "rgb"] as const) {
      const bytes = Uint8Array.from(Buffer.from(FX.trns[kind].png, "base64"));
      for (const mode of ["RGBA", "RGB", "L"] as const) {
        const img = data.decodeImage(bytes, { mode });
        assert.equal(img.channels, mode.length, `${kind} ${mode}`);
        assert.deepEqual(Array.from(img.data), FX.trns[kind][mode], `${kind} ${mode}`);
      }
      // The worker threads run the same code.
      const viaPool = await pool.decode(bytes, { mode: "RGBA" });
      assert.deepEqual(Array.from(viaPool.data), FX.trns[kind].RGBA, `${kind} via the pool`);
    }
  } finally {
    await pool.close();
  }
});

test("imageFormat: a PNG signature needs 8 bytes and a JPEG one 3; anything else is neither", () => {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.equal(imageFormat(Uint8Array.from(png)), "png");
  assert.equal(imageFormat(Uint8Array.from(png.slice(0, 7))), null, "7 bytes of the signature");
  assert.equal(imageFormat(Uint8Array.from(png.slice(0, 4))), null);
  assert.equal(imageFormat(Uint8Array.of(0xff, 0xd8, 0xff)), "jpeg");
  assert.equal(imageFormat(Uint8Array.of(0xff, 0xd8)), null, "2 bytes of the JPEG signature");
  for (const k of [0, 1, 2, 3]) {
    const wrong = png.slice();
    wrong[k] ^= 1;
    assert.equal(imageFormat(Uint8Array.from(wrong)), null, `PNG signature byte ${k} changed`);
  }
  for (const k of [0, 1, 2]) {
    const wrong = [0xff, 0xd8, 0xff, 0xe0];
    wrong[k] ^= 1;
    assert.equal(imageFormat(Uint8Array.from(wrong)), null, `JPEG signature byte ${k} changed`);
  }
});
