import test from 'ava';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Every export of the package's entry, and every public member of its classes, has TSDoc: what a
// service's editor shows is all the reference it gets.
const entry = join(dirname(fileURLToPath(import.meta.url)), '../../../orchestrator/src/api/index.ts');

test('every export of the library entry is documented', (t) => {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) return t.fail('no entry module');
  const undocumented: string[] = [];
  const documented = (symbol: ts.Symbol): boolean => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== '';
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!documented(symbol)) undocumented.push(exported.name);
    if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
    symbol.members?.forEach((member, name) => {
      const declaration = member.declarations?.[0];
      const hidden = declaration && ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
      if (name !== '__constructor' && !hidden && !documented(member)) undocumented.push(`${exported.name}.${String(name)}`);
    });
  }
  t.deepEqual(undocumented, []);
});
