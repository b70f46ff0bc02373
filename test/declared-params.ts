// The parameter names of the public functions of a namespace as the TypeScript source declares them,
// read with the compiler API from src/ (not from the running functions' text), so a test comparing
// them with the runtime argument specs also runs against a bundled or minified build, whose
// functions' source has renamed parameters (`path` -> `path6`).
import path from "node:path";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "..");

/** A function declaration's parameter names (`...rest` as `rest`; a destructured one as "?"). */
function namesOf(decl: ts.SignatureDeclaration): string[] {
  return decl.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : "?")).filter((n) => n !== "this");
}

/**
 * The declaration whose parameter list the function runs with: the implementation of an overloaded
 * function (the overloads' lists may be shorter), else the declaration of its call signature.
 */
function implementationOf(sig: ts.Signature, checker: ts.TypeChecker): ts.SignatureDeclaration | undefined {
  const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (!decl) return undefined;
  const name = (decl as ts.FunctionDeclaration).name;
  const sym = name ? checker.getSymbolAtLocation(name) : undefined;
  const impl = sym?.declarations?.find((d): d is ts.FunctionDeclaration => ts.isFunctionDeclaration(d) && d.body !== undefined);
  return impl ?? decl;
}

/**
 * `{ "data.readIdx": ["input"], ... }`: for each namespace, given as the path of its export from a
 * module (`["src/index.ts", "data", "functional"]` for data.functional; `["src/node.ts"]` for a
 * module's own exports) and the prefix its names get, the declared parameters of every function in it.
 *
 * @example declaredParams([["data.", ["src/index.ts", "data"]]]).get("data.readIdx") // ["input"]
 */
export function declaredParams(namespaces: readonly (readonly [string, readonly string[]])[]): Map<string, string[]> {
  const files = [...new Set(namespaces.map(([, [file]]) => path.join(root, file)))];
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, skipLibCheck: true, noEmit: true, types: [], lib: ["lib.es2022.d.ts"],
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const [prefix, [file, ...props]] of namespaces) {
    const sf = program.getSourceFile(path.join(root, file));
    const moduleSym = sf && checker.getSymbolAtLocation(sf);
    if (!sf || !moduleSym) throw new Error(`declaredParams: cannot read ${file}`);
    let type = checker.getTypeOfSymbol(moduleSym);
    for (const p of props) {
      const prop = type.getProperty(p);
      if (!prop) throw new Error(`declaredParams: ${file} has no export path ${props.join(".")}`);
      type = checker.getTypeOfSymbol(prop);
    }
    for (const prop of checker.getPropertiesOfType(type)) {
      const sigs = checker.getTypeOfSymbol(prop).getCallSignatures();
      if (sigs.length === 0) continue;
      const decl = implementationOf(sigs[0], checker);
      if (decl) out.set(prefix + prop.name, namesOf(decl));
    }
  }
  return out;
}
