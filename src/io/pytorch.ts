/**
 * Reading PyTorch's `.pt`/`.pth` files (what `torch.save` writes since 1.6): a zip archive holding
 * `<name>/data.pkl` (a pickle of the saved object) and `<name>/data/<key>` (one raw little-endian
 * storage per key). The pickle goes through our restricted reader (`pickle.ts`), which accepts only
 * tensors, their storages, OrderedDict/dict/list/tuple, numbers, strings and None, and never runs
 * code from the file.
 *
 * The zip container is read with `fflate`: a maintained, dependency-free zip/deflate library that
 * runs unchanged in Node and browsers (unlike Node's zlib, which has no zip reader anyway), so
 * writing our own zip parser would be code that is not our core.
 *
 * Tensors keep PyTorch's sharing: views of one storage (a transposed weight, slices of one buffer)
 * become deeptype views of one storage with the same strides and offset. Storage dtypes convert by
 * the rule of `dtypes.ts` (half/bfloat16 → float32, int16/int8/uint8 as they are, int64 → int32 when every
 * value fits, else an error naming the tensor).
 */
import { unzipSync } from "fflate";
import { Tensor } from "../core.js";
import { decode, READ_CODES } from "./dtypes.js";
import { ArrayFor } from "../tensor/dtype.js";
import { checkOptions, checkNumber } from "../tensor/check.js";
import { DEFAULT_MAX_BYTES } from "./safetensors.js";
import { PyDict, PyGlobal, unpickle, type PickleCallable } from "./pickle.js";

/** torch's storage classes and the file dtype of their bytes. */
const STORAGE_CODES: Record<string, string> = {
  "torch.FloatStorage": "F32",
  "torch.DoubleStorage": "F64",
  "torch.HalfStorage": "F16",
  "torch.BFloat16Storage": "BF16",
  "torch.LongStorage": "I64",
  "torch.IntStorage": "I32",
  "torch.ShortStorage": "I16",
  "torch.CharStorage": "I8",
  "torch.ByteStorage": "U8",
  "torch.BoolStorage": "BOOL",
};

/** A storage named by the pickle, decoded on first use (so an error can name the tensor using it). */
interface StorageRef {
  key: string;
  code: string;
  bytes: Uint8Array;
  numel: number;
  decoded?: { data: Tensor["storage"]["data"]; version: number };
}

/** A tensor as the pickle describes it; becomes a `Tensor` once its path in the saved object is known. */
class PendingTensor {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly strides: number[],
  ) {}
}

function isIndex(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** Options of `parsePytorch`. */
export interface PytorchReadOptions {
  /**
   * The most bytes one tensor may span as a dense tensor of its deeptype dtype (default 4 GiB, as the
   * safetensors readers). A view with stride 0 costs nothing in the file but can claim 2^62 elements;
   * the first op that copies it would then exhaust memory, so it is refused here.
   */
  maxBytes?: number;
}

/**
 * The elements a view spans, checked against `maxBytes` before anything is allocated, and the
 * storage range it reaches checked against the storage for every stride pattern (zero strides,
 * huge strides whose products leave the safe-integer range, an offset past the end of an empty view).
 */
function checkView(ref: StorageRef, offset: number, size: readonly number[], stride: readonly number[], maxBytes: number, where: string): void {
  const what = `a tensor of size ${JSON.stringify(size)}, stride ${JSON.stringify(stride)}, offset ${offset}`;
  const into = READ_CODES[ref.code].into!;
  const elementBytes = ArrayFor[into].BYTES_PER_ELEMENT;
  // A product of safe integers can leave the exact range; the comparison only needs its magnitude.
  const numel = size.reduce((n, d) => n * d, 1);
  if (numel * elementBytes > maxBytes) {
    throw new Error(`${where}: ${what} has ${numel} elements (${numel * elementBytes} bytes as ${into}), more than maxBytes (${maxBytes}); pass a larger { maxBytes } to read it`);
  }
  if (numel === 0) {
    if (offset > ref.numel) throw new Error(`${where}: ${what} starts at element ${offset} of storage ${ref.key}, which has ${ref.numel}`);
    return;
  }
  // The last element the view reaches must lie inside its storage (a hostile file could point anywhere).
  // Each term is compared on its own first, so a sum of huge terms cannot wrap or round back into range.
  let last = offset;
  for (let i = 0; i < size.length; i++) {
    const reach = (size[i] - 1) * stride[i];
    if (reach >= ref.numel) {
      last = Infinity;
      break;
    }
    last += reach;
  }
  if (!(last < ref.numel)) {
    throw new Error(`${where}: ${what} reaches ${Number.isFinite(last) ? `element ${last}` : "past the end"} of storage ${ref.key}, which has ${ref.numel} elements`);
  }
}

/**
 * Parses the bytes of a `.pt`/`.pth` file into the saved object: dicts become plain objects (Maps when
 * a key is not a string), tuples and lists arrays, tensors deeptype `Tensor`s.
 *
 * @example const sd = parsePytorch(bytes, "model.pt") as Record<string, Tensor>; model.loadStateDict(sd);
 */
export function parsePytorch(bytes: Uint8Array, source = "<bytes>", opts: PytorchReadOptions = {}): unknown {
  const where = `parsePytorch: ${source}`;
  if (!(bytes instanceof Uint8Array)) throw new Error(`${where}: expected a Uint8Array, got ${typeof bytes}`);
  opts = checkOptions("parsePytorch", opts, "{ maxBytes: 8e9 }", ["maxBytes"]);
  const maxBytes = opts.maxBytes === undefined ? DEFAULT_MAX_BYTES : checkNumber("parsePytorch", "maxBytes", opts.maxBytes, { min: 0 });
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    if (bytes[0] === 0x80) {
      throw new Error(`${where}: this is PyTorch's legacy (pre-1.6) format, which is not supported; re-save it in PyTorch with torch.save(obj, f) (zip format, the default since 1.6) or as safetensors`);
    }
    throw new Error(`${where}: not a PyTorch zip archive (expected "PK" at the start, got bytes ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ")})`);
  }
  let files: Record<string, Uint8Array>;
  try {
    // torch.save stores every entry uncompressed (its loader memory-maps them), so a compressed
    // entry is refused before anything is inflated: no zip bomb can make the reader allocate more
    // than the file's own size.
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.compression !== 0) throw new Error(`entry ${f.name} is compressed (method ${f.compression}); torch.save writes stored entries only`);
        return true;
      },
    });
  } catch (e) {
    throw new Error(`${where}: the zip archive is corrupt (${(e as Error).message})`);
  }
  const names = Object.keys(files);
  const pkls = names.filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1) {
    if (names.some((n) => /\/constants\.pkl$/.test(n) || /\/code\//.test(n))) {
      throw new Error(`${where}: this is a TorchScript archive (torch.jit.save); save the state dict instead: torch.save(model.state_dict(), f)`);
    }
    throw new Error(`${where}: expected exactly one <name>/data.pkl in the archive, found ${pkls.length} (entries: ${names.slice(0, 8).join(", ")})`);
  }
  const prefix = pkls[0].slice(0, -"data.pkl".length);
  const storages = new Map<string, StorageRef>();

  const persistentLoad = (pid: unknown): StorageRef => {
    if (!Array.isArray(pid) || pid[0] !== "storage" || pid.length < 5) {
      throw new Error(`${where}: unsupported persistent id ${JSON.stringify(pid, (_k, v) => (v instanceof PyGlobal ? v.name : v))}; only tensor storages are read`);
    }
    const [, type, key, , numel] = pid as [string, unknown, unknown, unknown, unknown];
    const typeName = type instanceof PyGlobal ? type.name : String(type);
    const code = STORAGE_CODES[typeName];
    if (!code) throw new Error(`${where}: storage type ${typeName} is not supported (supported: ${Object.keys(STORAGE_CODES).join(", ")})`);
    if (typeof key !== "string" || !isIndex(numel)) throw new Error(`${where}: malformed storage id (key ${JSON.stringify(key)}, size ${String(numel)})`);
    const cached = storages.get(key);
    if (cached) return cached;
    const file = files[`${prefix}data/${key}`];
    if (!file) throw new Error(`${where}: storage ${key} is missing from the archive (${prefix}data/${key})`);
    const want = numel * READ_CODES[code].size;
    if (file.length !== want) throw new Error(`${where}: storage ${key} holds ${file.length} bytes, but ${numel} × ${code} needs ${want}`);
    const ref: StorageRef = { key, code, bytes: file, numel };
    storages.set(key, ref);
    return ref;
  };

  const rebuildTensor: PickleCallable = (args) => {
    const [storage, offset, size, stride] = args;
    if (!(storage instanceof Object) || !storages.has((storage as StorageRef).key) || !isIndex(offset) || !Array.isArray(size) || !Array.isArray(stride)) {
      throw new Error(`${where}: _rebuild_tensor_v2 got malformed arguments`);
    }
    const ref = storage as StorageRef;
    if (size.length !== stride.length || !size.every(isIndex) || !stride.every(isIndex)) {
      throw new Error(`${where}: tensor on storage ${ref.key} has size ${JSON.stringify(size)} and stride ${JSON.stringify(stride)}, expected equally long lists of non-negative integers`);
    }
    checkView(ref, offset, size, stride, maxBytes, where);
    return new PendingTensor(ref, offset, size as number[], stride as number[]);
  };

  const globals: Record<string, PickleCallable> = {
    "collections.OrderedDict": (args) => {
      const d = new PyDict();
      if (Array.isArray(args[0])) for (const kv of args[0]) if (Array.isArray(kv) && kv.length === 2) d.set(kv[0], kv[1]);
      return d;
    },
    "torch._utils._rebuild_tensor_v2": rebuildTensor,
    // A saved nn.Parameter: its data is what a state dict needs.
    "torch._utils._rebuild_parameter": (args) => args[0],
  };
  for (const name of Object.keys(STORAGE_CODES)) {
    globals[name] = () => {
      throw new Error(`${where}: ${name} may only appear inside a storage id`);
    };
  }
  const value = unpickle(files[pkls[0]], { globals, persistentLoad, source });
  return materialize(value, where);
}

/** Python's default recursion limit: `torch.load` fails on deeper nesting too, and no state dict comes close. */
const MAX_DEPTH = 1000;

/**
 * Turns the unpickled value into deeptype values. A hostile pickle can nest values a million deep,
 * make a list contain itself, or share references so that a tree of 2^48 leaves fits in a few
 * hundred bytes: nesting is bounded, a cycle is an error, and each shared value is converted once
 * and shared in the result (as Python shares it), so the work is linear in the pickle's size.
 */
function materialize(root: unknown, where: string): unknown {
  const done = new Map<unknown, unknown>();
  const open = new Set<unknown>();
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Error(`${where}: "${path.slice(0, 80)}…" is nested more than ${MAX_DEPTH} levels deep`);
    if (v === null || typeof v !== "object") return v;
    if (done.has(v)) return done.get(v);
    if (open.has(v)) throw new Error(`${where}: "${path}" contains itself (a cycle); a saved state dict never does`);
    open.add(v);
    const out = convert(v, path, depth);
    open.delete(v);
    done.set(v, out);
    return out;
  };
  const convert = (v: object, path: string, depth: number): unknown => {
    if (v instanceof PendingTensor) {
      const ref = v.storage;
      if (!ref.decoded) {
        const data = decode(ref.code, ref.bytes, 0, ref.numel, (msg) => {
          throw new Error(`${where}: tensor "${path}": ${msg}; convert it in PyTorch first (e.g. t.to(torch.int32)) if the values allow`);
        });
        ref.decoded = { data, version: 0 };
      }
      return new Tensor(ref.decoded, v.shape, v.strides, v.offset, READ_CODES[ref.code].into!);
    }
    if (v instanceof PyDict) {
      const keys = [...v.keys()];
      const at = (k: unknown) => (path ? `${path}.${String(k)}` : String(k));
      if (keys.every((k) => typeof k === "string")) {
        const out: Record<string, unknown> = {};
        // defineProperty, so a key like "__proto__" is data, not a prototype change.
        for (const [k, x] of v) Object.defineProperty(out, k as string, { value: walk(x, at(k), depth + 1), enumerable: true, writable: true, configurable: true });
        return out;
      }
      return new Map([...v].map(([k, x]) => [k, walk(x, at(k), depth + 1)]));
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, path ? `${path}.${i}` : String(i), depth + 1));
    if (v instanceof PyGlobal) throw new Error(`${where}: "${path}" is the global ${v.name}, not data`);
    return v;
  };
  return walk(root, "", 0);
}
