/**
 * Structural validation of PNG and JPEG bytes before any pixel is decoded, so that the decoder
 * libraries only ever see files that are complete, consistent and within the caller's limits.
 *
 * Why a pass of our own: the decoders accept what the reference decoder (libpng/libjpeg through
 * Pillow) rejects — truncated files, CRC errors, chunks out of order — and they size their buffers
 * from the header before looking at the data, so a 168-byte file could ask for gigabytes. This pass
 * checks the dimensions against `maxPixels` first, walks every chunk/segment within the file, checks
 * PNG's CRCs, and inflates PNG's image data once with a cap of exactly the size the header implies
 * (a deflate bomb stops there) and checks its Adler-32.
 *
 * `validateImage` is self-contained (no imports, no outer variables): DecodePool ships its source
 * text to worker threads, as it does with `decodePixels`, so both threads check the same way.
 */

/**
 * Inflates a zlib stream only to count it: returns the number of bytes it inflates to, throws if that
 * would exceed `cap` (stopping there) or if the stream is corrupt, truncated or fails its Adler-32.
 */
export type InflateCheck = (zlibStream: Uint8Array, cap: number) => number;

/**
 * The check with Node's zlib (native, and it verifies Adler-32 itself); `maxOutputLength` makes it
 * stop as soon as the output passes the cap. Self-contained: worker threads get its source text.
 *
 * @example const n = zlibInflateCheck(idat, 28 * 29);
 */
export function zlibInflateCheck(zlibStream: Uint8Array, cap: number): number {
  const zlib = process.getBuiltinModule("node:zlib");
  try {
    return zlib.inflateSync(zlibStream, { maxOutputLength: Math.max(1, cap) }).length;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new Error(`the image data inflates to more than the ${cap} bytes the header implies (corrupt, or a decompression bomb)`);
    throw new Error(`the image data is not a valid zlib stream (${(e as Error).message})`);
  }
}

/**
 * The same check in plain JavaScript with fflate's streaming `Inflate` (browsers): small input
 * pieces, so one piece inflates to at most ~16 MB before the cap is checked, and Adler-32 in JS.
 *
 * @example const check = fflateInflateCheck(await import("fflate"));
 */
export function fflateInflateCheck(fflate: { Inflate: new (ondata: (chunk: Uint8Array, final: boolean) => void) => { push(data: Uint8Array, final?: boolean): void } }): InflateCheck {
  return (z, cap) => {
    let got = 0, a = 1, b = 0;
    const inflater = new fflate.Inflate((chunk) => {
      got += chunk.length;
      if (got > cap) throw new Error(`the image data inflates to more than the ${cap} bytes the header implies (corrupt, or a decompression bomb)`);
      for (let i = 0; i < chunk.length; i++) {
        a += chunk[i];
        b += a;
        if ((i & 4095) === 4095) {
          a %= 65521;
          b %= 65521;
        }
      }
      a %= 65521;
      b %= 65521;
    });
    const body = z.subarray(2, z.length - 4);
    try {
      for (let p = 0; p < body.length; p += 16384) inflater.push(body.subarray(p, Math.min(body.length, p + 16384)), p + 16384 >= body.length);
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(msg.startsWith("the image data") ? msg : `the image data is not a valid zlib stream (${msg})`);
    }
    const stored = ((z[z.length - 4] << 24) | (z[z.length - 3] << 16) | (z[z.length - 2] << 8) | z[z.length - 1]) >>> 0;
    if ((((b << 16) | a) >>> 0) !== stored) throw new Error("the image data fails its Adler-32 check (corrupt data)");
    return got;
  };
}

/**
 * Checks `bytes` (already identified as `format`) and returns the image's size; throws an Error
 * whose message says what is wrong (the caller adds the file name). `maxPixels` bounds width x height.
 *
 * @example const { width, height } = validateImage("png", bytes, 1e6, zlibInflateCheck);
 */
export function validateImage(format: "png" | "jpeg", bytes: Uint8Array, maxPixels: number, inflateCheck: InflateCheck): { width: number; height: number } {
  const n = bytes.length;
  const u32 = (at: number): number => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  const u16 = (at: number): number => (bytes[at] << 8) | bytes[at + 1];
  const limit = (w: number, h: number): void => {
    if (w * h > maxPixels) {
      throw new Error(`the image is ${w}x${h} = ${w * h} pixels, more than maxPixels (${maxPixels}); pass a larger { maxPixels } to decode it`);
    }
  };

  if (format === "jpeg") {
    let pos = 2;
    let size: { width: number; height: number } | null = null;
    let scans = 0;
    // What the scans may refer to, checked the way libjpeg checks it (Pillow's decoder): a table is
    // judged when a scan uses it, so a damaged table nobody uses is no error (as in libjpeg).
    const quant = [false, false, false, false];
    const huff: (string | null)[][] = [[null, null, null, null], [null, null, null, null]]; // [class][id]: "" valid, else the problem
    const frame: { id: number; h: number; v: number; q: number }[] = [];
    let progressive = false;
    for (;;) {
      if (pos >= n) throw new Error(`truncated: the file ends at byte ${n} without an end-of-image marker`);
      if (bytes[pos] !== 0xff) throw new Error(`expected a marker at byte ${pos}, found 0x${bytes[pos].toString(16)}`);
      while (pos < n && bytes[pos] === 0xff) pos++; // fill bytes
      if (pos >= n) throw new Error(`truncated: the file ends inside a marker`);
      const m = bytes[pos++];
      if (m === 0xd9) {
        if (!size) throw new Error("no frame header (SOF) before the end of the image");
        if (scans === 0) throw new Error("no image data (SOS) before the end of the image");
        return size;
      }
      if (m === 0xd8 || m === 0x00) throw new Error(`unexpected marker 0xff${m.toString(16).padStart(2, "0")} at byte ${pos - 2}`);
      if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) continue; // restart markers and TEM carry no length
      if (pos + 2 > n) throw new Error(`truncated: marker 0xff${m.toString(16)} at byte ${pos - 2} has no length`);
      const len = u16(pos);
      if (len < 2) throw new Error(`marker 0xff${m.toString(16)} at byte ${pos - 2} has an invalid length ${len}`);
      if (pos + len > n) throw new Error(`truncated: marker 0xff${m.toString(16)} at byte ${pos - 2} declares ${len} bytes but ${n - pos} remain`);
      const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
      if (isSof) {
        if (size) throw new Error("more than one frame header (SOF)");
        if (m !== 0xc0 && m !== 0xc1 && m !== 0xc2) {
          throw new Error(`unsupported JPEG process (SOF marker 0xff${m.toString(16)}: lossless, hierarchical or arithmetic-coded); only baseline, extended and progressive Huffman JPEGs are read`);
        }
        if (len < 8) throw new Error(`frame header of ${len} bytes is too short`);
        const precision = bytes[pos + 2];
        const height = u16(pos + 3);
        const width = u16(pos + 5);
        const comps = bytes[pos + 7];
        if (precision !== 8) throw new Error(`${precision}-bit samples are not supported (8-bit only)`);
        if (width === 0 || height === 0) throw new Error(`frame header declares a ${width}x${height} image`);
        if (comps !== 1 && comps !== 3 && comps !== 4) throw new Error(`frame header declares ${comps} components (expected 1, 3 or 4)`);
        if (len !== 8 + 3 * comps) throw new Error(`frame header length ${len} does not match its ${comps} components`);
        for (let c = 0; c < comps; c++) {
          const hv = bytes[pos + 9 + 3 * c];
          const h = hv >> 4, v = hv & 15;
          if (h < 1 || h > 4 || v < 1 || v > 4) throw new Error(`component ${c} has invalid sampling factors ${h}x${v}`);
          if (bytes[pos + 10 + 3 * c] > 3) throw new Error(`component ${c} names quantisation table ${bytes[pos + 10 + 3 * c]} (0-3 exist)`);
          frame.push({ id: bytes[pos + 8 + 3 * c], h, v, q: bytes[pos + 10 + 3 * c] });
        }
        // The upsampler handles whole-number ratios only (libjpeg's "fractional sampling not implemented").
        const maxH = Math.max(...frame.map((c) => c.h)), maxV = Math.max(...frame.map((c) => c.v));
        if (frame.some((c) => maxH % c.h !== 0 || maxV % c.v !== 0)) throw new Error(`sampling factors ${frame.map((c) => `${c.h}x${c.v}`).join(", ")} are not whole-number ratios`);
        progressive = m === 0xc2;
        limit(width, height);
        size = { width, height };
      }
      if (m === 0xda) {
        if (!size) throw new Error("image data (SOS) before the frame header (SOF)");
        const ns = bytes[pos + 2];
        if (ns < 1 || ns > 4 || len !== 6 + 2 * ns) throw new Error(`scan header declares ${ns} components in ${len} bytes`);
        const ss = bytes[pos + 3 + 2 * ns], se = bytes[pos + 4 + 2 * ns], ah = bytes[pos + 5 + 2 * ns] >> 4, al = bytes[pos + 5 + 2 * ns] & 15;
        const dcFirst = !progressive || (ss === 0 && ah === 0), usesAc = !progressive || ss !== 0;
        if (progressive && ((ss === 0 ? se !== 0 : ss > se || se > 63 || ns !== 1) || (ah !== 0 && al !== ah - 1) || al > 13)) {
          throw new Error(`progressive scan ${scans + 1} has invalid parameters Ss=${ss} Se=${se} Ah=${ah} Al=${al}`);
        }
        const inScan = new Set<number>();
        let blocks = 0;
        for (let i = 0; i < ns; i++) {
          const id = bytes[pos + 3 + 2 * i], tables = bytes[pos + 4 + 2 * i];
          const c = frame.find((x) => x.id === id);
          if (!c || inScan.has(id)) throw new Error(`scan ${scans + 1} names component id ${id}, which the frame header does not declare${c ? " (or names it twice)" : ""}`);
          inScan.add(id);
          blocks += c.h * c.v;
          if (!quant[c.q]) throw new Error(`component id ${id} uses quantisation table ${c.q}, which is not defined`);
          for (const [cls, id2, used] of [[0, tables >> 4, dcFirst], [1, tables & 15, usesAc]] as [number, number, boolean][]) {
            if (!used) continue;
            const t = id2 > 3 ? null : huff[cls][id2];
            if (t === null) throw new Error(`scan ${scans + 1} uses ${cls ? "AC" : "DC"} Huffman table ${id2}, which is not defined`);
            if (t) throw new Error(`${cls ? "AC" : "DC"} Huffman table ${id2} ${t}`);
          }
        }
        if (ns > 1 && blocks > 10) throw new Error(`scan ${scans + 1} has ${blocks} blocks per MCU (at most 10)`);
        scans++;
        // Entropy-coded data runs to the next marker that is neither a stuffed 0xff00 nor a restart.
        let p = pos + len;
        while (p + 1 < n && !(bytes[p] === 0xff && bytes[p + 1] !== 0 && !(bytes[p + 1] >= 0xd0 && bytes[p + 1] <= 0xd7))) p++;
        if (p + 1 >= n) throw new Error(`truncated: the file ends inside the image data (no end-of-image marker)`);
        pos = p;
        continue;
      }
      if (m === 0xdb) {
        // DQT: one or more [precision|id] + 64 (8-bit) or 128 (16-bit) values, filling the segment exactly.
        for (let p = pos + 2; p < pos + len; ) {
          const pq = bytes[p] >> 4, tq = bytes[p] & 15;
          if (pq > 1 || tq > 3) throw new Error(`quantisation table with precision ${pq} and id ${tq} (precision 0-1 and ids 0-3 exist)`);
          p += 1 + 64 * (pq + 1);
          if (p > pos + len) throw new Error(`quantisation table ${tq} is cut short by the end of its segment`);
          quant[tq] = true;
        }
      } else if (m === 0xc4) {
        // DHT: [class|id], 16 code-length counts, the symbols; libjpeg's rules for a usable table.
        for (let p = pos + 2; p < pos + len; ) {
          const tc = bytes[p] >> 4, th = bytes[p] & 15;
          if (tc > 1 || th > 3) throw new Error(`Huffman table with class ${tc} and id ${th} (classes 0-1 and ids 0-3 exist)`);
          if (p + 17 > pos + len) throw new Error(`Huffman table ${th} is cut short by the end of its segment`);
          let count = 0, code = 0, problem = "";
          for (let l = 1; l <= 16; l++) {
            const k = bytes[p + l];
            count += k;
            // Canonical codes of length l: they must fit in l bits and never be all ones.
            code = (code << 1) + k;
            if (k && code >= 2 ** l) problem ||= `has more codes of length ${l} than fit`;
          }
          if (count > 256) throw new Error(`Huffman table ${th} declares ${count} symbols (a byte-valued code has at most 256)`);
          if (p + 17 + count > pos + len) throw new Error(`Huffman table ${th} declares ${count} symbols but its segment holds ${pos + len - p - 17}`);
          if (tc === 0) for (let i = 0; i < count; i++) if (bytes[p + 17 + i] > 15) problem ||= `has symbol ${bytes[p + 17 + i]} (a DC table's symbols are 0-15)`;
          huff[tc][th] = problem;
          p += 17 + count;
        }
      } else if (m === 0xdd && len !== 4) {
        throw new Error(`restart interval segment of ${len} bytes (expected 4)`);
      }
      pos += len;
    }
  }

  // PNG: signature, then chunks [length][type][data][crc] with IHDR first and IEND last.
  const SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIG[i]) throw new Error("the PNG signature is damaged");
  const crcTable = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[i] = c;
  }
  let pos = 8;
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  let sawPlte = false, idatState = 0; // 0: none yet, 1: in the IDAT run, 2: after it
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  for (let index = 0; ; index++) {
    if (pos + 12 > n) throw new Error(`truncated: the file ends at byte ${n} before the IEND chunk`);
    const len = u32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`invalid chunk type at byte ${pos}`);
    if (len > 0x7fffffff || pos + 12 + len > n) throw new Error(`truncated: chunk ${type} at byte ${pos} declares ${len} bytes but ${n - pos - 12} remain`);
    let crc = -1;
    for (let i = pos + 4; i < pos + 8 + len; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    if (((crc ^ -1) >>> 0) !== u32(pos + 8 + len)) throw new Error(`chunk ${type} at byte ${pos} fails its CRC check (corrupt data)`);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    pos += 12 + len;
    if (index === 0 && type !== "IHDR") throw new Error(`the first chunk is ${type}, expected IHDR`);
    if (idatState === 1 && type !== "IDAT") idatState = 2;
    if (type === "IHDR") {
      if (index !== 0) throw new Error("a second IHDR chunk");
      if (len !== 13) throw new Error(`IHDR is ${len} bytes, expected 13`);
      width = u32(pos - 4 - 13);
      height = u32(pos - 4 - 9);
      depth = data[8];
      colorType = data[9];
      interlace = data[12];
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new Error(`IHDR declares a ${width}x${height} image`);
      const depths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
      if (!depths[colorType]?.includes(depth)) throw new Error(`IHDR: bit depth ${depth} with colour type ${colorType} is not a valid combination`);
      if (data[10] !== 0 || data[11] !== 0) throw new Error(`IHDR: unknown compression (${data[10]}) or filter method (${data[11]})`);
      if (interlace > 1) throw new Error(`IHDR: unknown interlace method ${interlace}`);
      limit(width, height);
    } else if (type === "PLTE") {
      if (sawPlte) throw new Error("a second PLTE chunk");
      if (idatState > 0) throw new Error("PLTE after the image data");
      if (colorType === 0 || colorType === 4) throw new Error(`a PLTE chunk in a greyscale image (colour type ${colorType})`);
      if (len === 0 || len % 3 !== 0 || len / 3 > 256 || (colorType === 3 && len / 3 > 2 ** depth)) throw new Error(`PLTE of ${len} bytes is not a valid palette for bit depth ${depth}`);
      sawPlte = true;
    } else if (type === "IDAT") {
      if (idatState === 2) throw new Error("IDAT chunks are not consecutive");
      if (colorType === 3 && !sawPlte) throw new Error("a palette image without a PLTE chunk before its data");
      idatState = 1;
      idat.push(data);
      idatBytes += len;
    } else if (type === "IEND") {
      if (len !== 0) throw new Error(`IEND carries ${len} bytes, expected none`);
      break;
    } else if (type.charCodeAt(0) < 0x61) {
      throw new Error(`unknown critical chunk ${type}`);
    }
  }
  if (idat.length === 0) throw new Error("no image data (IDAT)");

  // Exactly the number of bytes the header implies: per pass, rows of one filter byte plus samples.
  const channels = [1, 0, 3, 1, 2, 0, 4][colorType];
  const rowBytes = (w: number): number => Math.ceil((w * channels * depth) / 8);
  let expected = 0;
  const passes = interlace ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] : [[0, 0, 1, 1]];
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx), ph = Math.ceil((height - y0) / dy);
    if (pw > 0 && ph > 0) expected += ph * (1 + rowBytes(pw));
  }
  const z = new Uint8Array(idatBytes);
  let off = 0;
  for (const d of idat) {
    z.set(d, off);
    off += d.length;
  }
  if (z.length < 6 || (z[0] & 15) !== 8 || z[0] >> 4 > 7 || ((z[0] << 8) | z[1]) % 31 !== 0 || z[1] & 0x20) throw new Error("the image data is not a valid zlib stream");
  const got = inflateCheck(z, expected);
  if (got !== expected) throw new Error(`truncated: the image data inflates to ${got} bytes, a ${width}x${height} image needs ${expected}`);
  return { width, height };
}
