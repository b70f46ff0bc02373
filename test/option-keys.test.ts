// The runtime option-key lists cannot drift from the TypeScript option types (issue 11).
//
// `checkKeys(fn, opts, KEYS)` rejects a key not in KEYS (API.md rule 9), so KEYS must be exactly
// the keys of the options type: a key the type declares but KEYS lacks is a valid, type-checked
// call that throws "unknown option"; a key KEYS has but the type lacks is an option TypeScript users
// cannot pass. Lists written with `optionKeys<T>()({...})` are checked both ways by the compiler.
// The hand-written `[...] as const` lists are checked here: the TypeScript compiler API reads every
// call of checkKeys, checkOptions (with keys) and positionalOptions (with keys) in src/, resolves the
// key list to its strings and the options argument to its type at that call (for positionalOptions,
// the options object among the constructor's trailing arguments, as the caller types it), and
// compares the two sets. The ops' lists given to declareOptions({ sum: [...] }) are compared with the
// options parameter of the function of that name in the same file.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "..");

/** The call sites: which argument is the key list, and where the options type comes from. */
const CALLS: Record<string, { keys: number; opts: number | "args" }> = {
  checkKeys: { keys: 2, opts: 1 },
  checkOptions: { keys: 3, opts: 1 },
  positionalOptions: { keys: 3, opts: "args" },
};

/**
 * Keys a list may hold that its options type does not, each with its reason. Empty: every list is
 * exactly its type. The test fails on any entry the survey no longer finds.
 */
const ALLOWED_EXTRA: Record<string, string> = {};

interface Site {
  where: string;
  fn: string;
  keys: string[] | "optionKeys";
  typeKeys: string[] | undefined;
}

/** A key list expression to its strings: an `as const` array (spreads followed), an alias, or `optionKeys<T>()(...)`. */
function listStrings(e: ts.Expression, checker: ts.TypeChecker, seen = new Set<ts.Node>()): string[] | "optionKeys" | undefined {
  if (seen.has(e)) return undefined;
  seen.add(e);
  while (ts.isAsExpression(e) || ts.isParenthesizedExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (ts.isArrayLiteralExpression(e)) {
    const out: string[] = [];
    for (const el of e.elements) {
      if (ts.isStringLiteralLike(el)) out.push(el.text);
      else if (ts.isSpreadElement(el)) {
        // A spread list is compared as a whole, even when it spreads a compiler-checked one.
        const inner = listStrings(el.expression, checker, seen);
        const keys = inner === "optionKeys" ? optionKeysLiteral(el.expression, checker) : inner;
        if (!Array.isArray(keys)) return undefined;
        out.push(...keys);
      } else return undefined;
    }
    return out;
  }
  if (ts.isCallExpression(e) && ts.isCallExpression(e.expression) && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === "optionKeys") return "optionKeys";
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    let sym = checker.getSymbolAtLocation(e);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = sym?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return listStrings(decl.initializer, checker, seen);
  }
  return undefined;
}

/** The keys written in an `optionKeys<T>()({ a: true, ... })` list (reached through aliases). */
function optionKeysLiteral(e: ts.Expression, checker: ts.TypeChecker): string[] | undefined {
  if (ts.isIdentifier(e)) {
    let sym = checker.getSymbolAtLocation(e);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = sym?.valueDeclaration;
    return decl && ts.isVariableDeclaration(decl) && decl.initializer ? optionKeysLiteral(decl.initializer, checker) : undefined;
  }
  if (ts.isCallExpression(e) && e.arguments.length === 1 && ts.isObjectLiteralExpression(e.arguments[0])) {
    return e.arguments[0].properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : "?"));
  }
  return undefined;
}

/** The property names of an options type (its object members; undefined, null and primitives dropped). */
function typeKeys(t: ts.Type, checker: ts.TypeChecker): string[] | undefined {
  return typeKeysOf(t.isUnion() ? t.types : [t], checker);
}

function typeKeysOf(types: readonly ts.Type[], checker: ts.TypeChecker): string[] | undefined {
  const parts = types.flatMap((t) => (t.isUnion() ? t.types : [t]));
  const names = new Set<string>();
  let objects = 0;
  for (const p of parts) {
    if (p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike)) continue;
    if (p.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
    // A function (a legacy positional form such as a collate function), an array or an instance of a
    // class (a module passed as the activation) is not an options bag.
    if (p.getCallSignatures().length > 0 || checker.isArrayType(p) || checker.isTupleType(p) || (p.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class) continue;
    if (checker.getIndexInfosOfType(p).length > 0 && checker.getPropertiesOfType(p).length === 0) return undefined;
    objects++;
    for (const s of checker.getPropertiesOfType(p)) names.add(s.getName());
  }
  return objects ? [...names].sort() : undefined;
}

const forwarded: string[] = [];
/** declareOptions entries whose op is neither a function nor a declared Tensor method of that name in the same file. */
const unresolved: string[] = [];

const functionCache = new Map<ts.SourceFile, Map<string, readonly ts.Signature[]>>();
/** The top-level functions of a file (declarations and `const f = (...) =>`) with their call signatures. */
function functionsOf(sf: ts.SourceFile, checker: ts.TypeChecker): Map<string, readonly ts.Signature[]> {
  let m = functionCache.get(sf);
  if (m) return m;
  m = new Map();
  for (const st of sf.statements) {
    const decls: ts.Node[] = ts.isFunctionDeclaration(st) && st.name ? [st] : ts.isVariableStatement(st) ? [...st.declarationList.declarations] : [];
    for (const d of decls) {
      const name = (d as ts.FunctionDeclaration | ts.VariableDeclaration).name;
      if (!name || !ts.isIdentifier(name)) continue;
      const sigs = checker.getTypeAtLocation(name).getCallSignatures();
      if (sigs.length) m.set(name.text, sigs);
    }
  }
  functionCache.set(sf, m);
  return m;
}

const methodCache = new Map<ts.SourceFile, Map<string, ts.Signature[]>>();
/**
 * The Tensor methods a file declares (`declare module "../tensor/tensor.js" { interface Tensor { add_(...): this } }`),
 * with their call signatures: an in-place method built inline (`add_: inplaceOf("add_", add)`) has no
 * top-level function of its name, and its public type is this declaration.
 */
function tensorMethodsOf(sf: ts.SourceFile, checker: ts.TypeChecker): Map<string, ts.Signature[]> {
  let m = methodCache.get(sf);
  if (m) return m;
  m = new Map();
  for (const st of sf.statements) {
    if (!ts.isModuleDeclaration(st) || !st.body || !ts.isModuleBlock(st.body)) continue;
    for (const d of st.body.statements) {
      if (!ts.isInterfaceDeclaration(d) || d.name.text !== "Tensor") continue;
      for (const member of d.members) {
        if (!ts.isMethodSignature(member) || !ts.isIdentifier(member.name)) continue;
        const sig = checker.getSignatureFromDeclaration(member);
        if (sig) m.set(member.name.text, [...(m.get(member.name.text) ?? []), sig]);
      }
    }
  }
  methodCache.set(sf, m);
  return m;
}

function survey(): Site[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const files = config.fileNames.filter((f) => f.startsWith(path.join(root, "src") + path.sep));
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const sites: Site[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!files.includes(path.normalize(sf.fileName)) || sf.fileName.endsWith("tensor/check.ts") || sf.fileName.endsWith("nn/positional.ts")) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && Object.hasOwn(CALLS, node.expression.text)) {
        const how = CALLS[node.expression.text];
        const keysArg = node.arguments[how.keys];
        if (keysArg) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
          const where = `${path.relative(root, sf.fileName)}:${line + 1}`;
          const fnArg = node.arguments[0];
          const fn = fnArg && ts.isStringLiteralLike(fnArg) ? fnArg.text : fnArg?.getText(sf) ?? "?";
          const keys = listStrings(keysArg, checker);
          if (keys === undefined) {
            // A helper forwarding its caller's list (`checkKeys(kind, defaults, keys)` in Optimizer): the
            // callers pass optionKeys<T>() lists, which the compiler checks; anything else is a failure.
            const sym = ts.isIdentifier(keysArg) ? checker.getSymbolAtLocation(keysArg) : undefined;
            if (sym?.valueDeclaration && ts.isParameter(sym.valueDeclaration)) forwarded.push(`${where} ${fn}`);
            else throw new Error(`${where}: ${fn}'s key list ${keysArg.getText(sf)} is not a literal list, an alias of one or optionKeys<T>()(...)`);
            return;
          }
          let t: ts.Type;
          if (how.opts === "args") {
            // The layer's `...args: PositionalArgs<[stride, padding], ConvOptions>`: a union of tuples
            // whose one object element is the options bag (positional values are numbers, pairs, strings).
            const argsType = checker.getTypeAtLocation(node.arguments[2]);
            const elements = (argsType.isUnion() ? argsType.types : [argsType]).flatMap((u) => (checker.isTupleType(u) || checker.isArrayType(u) ? checker.getTypeArguments(u as ts.TypeReference) : [u]));
            // Untyped trailing arguments (`args: readonly unknown[]`): the options type given to the call.
            const fromArgs = elements.length ? typeKeysOf(elements, checker) : undefined;
            sites.push({ where, fn, keys, typeKeys: fromArgs ?? typeKeys(checker.getReturnTypeOfSignature(checker.getResolvedSignature(node)!), checker) });
          } else {
            t = checker.getTypeAtLocation(node.arguments[how.opts]);
            sites.push({ where, fn, keys, typeKeys: typeKeys(t, checker) });
          }
        }
      }
      // declareOptions({ sum: ["keepdim", "dtype"], ... }): each op's list against the options
      // parameter of the function of that name in the same file.
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "declareOptions" && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
        for (const prop of node.arguments[0].properties) {
          if (!ts.isPropertyAssignment(prop) && !ts.isShorthandPropertyAssignment(prop)) continue;
          const opName = prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : "?";
          const { line } = sf.getLineAndCharacterOfPosition(prop.getStart());
          const where = `${path.relative(root, sf.fileName)}:${line + 1}`;
          const list = ts.isPropertyAssignment(prop) ? listStrings(prop.initializer, checker) : undefined;
          const keys = list === "optionKeys" && ts.isPropertyAssignment(prop) ? optionKeysLiteral(prop.initializer, checker) : list;
          const fn = functionsOf(sf, checker).get(opName.slice(opName.lastIndexOf(".") + 1)) ?? functionsOf(sf, checker).get(`${opName}_`);
          // A Tensor method's declaration leaves out the tensor it is called on: all its parameters count.
          const method = fn ? undefined : tensorMethodsOf(sf, checker).get(opName);
          if (!Array.isArray(keys) || (!fn && !method)) {
            unresolved.push(`${where} ${opName}`);
            continue;
          }
          // The options bag is whichever parameter after the input has an object type
          // (`var_(x, dim, opts: VarOptions | boolean, keepdim)`, `sort(x, dim: number | SortOptions)`).
          const types = fn
            ? fn.flatMap((sig) => sig.parameters.slice(1).map((p) => checker.getTypeOfSymbol(p)))
            : method!.flatMap((sig) => sig.parameters.map((p) => checker.getTypeOfSymbol(p)));
          sites.push({ where, fn: opName, keys, typeKeys: types.length ? typeKeysOf(types, checker) : undefined });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return sites;
}

test("every hand-written option-key list equals the keys of its TypeScript options type", () => {
  const sites = survey();
  const problems: string[] = [];
  const extrasFound = new Set<string>();
  let compared = 0;
  for (const s of sites) {
    if (s.keys === "optionKeys") continue; // checked by the compiler
    if (s.typeKeys === undefined) {
      problems.push(`${s.where} ${s.fn}: the options argument has no declared keys (any, unknown or an index signature); give it an options type`);
      continue;
    }
    compared++;
    const missing = s.typeKeys.filter((k) => !s.keys.includes(k));
    const extra = (s.keys as string[]).filter((k) => !s.typeKeys!.includes(k));
    if (missing.length) problems.push(`${s.where} ${s.fn}: the type declares ${missing.join(", ")}, which the runtime list rejects as unknown options`);
    for (const k of extra) {
      const id = `${s.fn}.${k}`;
      if (Object.hasOwn(ALLOWED_EXTRA, id)) extrasFound.add(id);
      else problems.push(`${s.where} ${s.fn}: the runtime list takes '${k}', which the options type does not declare`);
    }
  }
  console.log(`forwarded lists: ${forwarded.join("; ")}`);
  // Each declareOptions entry is compared with the type of the function or Tensor method it names.
  assert.deepEqual(unresolved, [], "declareOptions entries with no function or Tensor method of that name in their file: declare each where its op is defined");
  console.log(`${sites.length} option-key checks: ${compared} hand-written lists compared with their types, ${sites.length - compared} written with optionKeys<T>() (compiler-checked)`);
  assert.deepEqual(problems, [], `${problems.length} drifts:\n${problems.join("\n")}`);
  assert.deepEqual(Object.keys(ALLOWED_EXTRA).filter((k) => !extrasFound.has(k)), [], "entries no longer needed in ALLOWED_EXTRA");
  assert.ok(sites.length >= 140 && compared >= 120, `${sites.length} sites, ${compared} compared`);
});
