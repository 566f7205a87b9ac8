// `npx projen diagram`: writes the diagram of what gets built (build-tools/diagram.ts) into each
// file of DIAGRAM_FILES, between its markers. Run from the repository root.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagramOf, DIAGRAM_FILES, referenceTemplate, withDiagram } from './diagram';

const root = process.cwd();
const diagram = diagramOf(referenceTemplate(root));
for (const file of DIAGRAM_FILES) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = withDiagram(before, diagram, file);
  if (after !== before) writeFileSync(path, after);
  console.log(`${file}: ${after === before ? 'already current' : 'diagram written'}`);
}
