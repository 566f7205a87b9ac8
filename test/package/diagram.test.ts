/**
 * The diagram of what gets built (README.md, docs/architecture.md) is generated from the reference
 * app's synthesized template by `npx projen diagram`. This regenerates it in memory and fails while
 * a copy differs, naming the command; it never rewrites a file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND, diagramBlock, diagramOf, DIAGRAM_FILES, END_MARKER, referenceTemplate, START_MARKER, withDiagram } from '../../build-tools/diagram';

const REPO = join(__dirname, '..', '..');
const template = referenceTemplate(REPO);
const diagram = diagramOf(template);

test.each(DIAGRAM_FILES)(`%s holds the current diagram (else run \`${COMMAND}\`)`, (file) => {
  const markdown = readFileSync(join(REPO, file), 'utf8');
  const start = markdown.indexOf(START_MARKER);
  const end = markdown.indexOf(END_MARKER);
  expect([file, start >= 0 && end > start]).toEqual([file, true]);
  const current = markdown.slice(start, end + END_MARKER.length);
  if (current !== diagramBlock(diagram)) {
    throw new Error(`${file}: the diagram is stale (the reference app's template changed); run \`${COMMAND}\` and commit the result`);
  }
});

test('the diagram shows the bus, both rules and their targets, the role, Roles Anywhere, the parameters as one node and the app', () => {
  const count = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type).length;
  expect(diagram).toMatch(/^flowchart LR\n/);
  expect(diagram).toContain('{{"event bus');
  expect(diagram.match(/\["rule/g)).toHaveLength(count('AWS::Events::Rule'));
  expect(diagram).toContain('["API destination orders.receiver-dest');
  expect(diagram.match(/\[\["dead-letter queue/g)).toHaveLength(2);
  expect(diagram).toContain('[["queue');
  expect(diagram).toContain('subgraph rolesanywhere ["IAM Roles Anywhere"]');
  expect(diagram).toContain(`parameters[("${count('AWS::SSM::Parameter')} SSM parameters<br/>/eventbridge-connector/orders/*`);
  expect(diagram).toMatch(/-->\|"POST https:\/\/orders\.example\.com\/eventbridge\/events"\| app$/m);
  expect(diagram).toMatch(/OrdersRole -->\|"PutEvents, DescribeEventBus"\| OrdersEventBus/);
  // Condensed: far fewer nodes than the template has resources.
  const nodes = diagram.split('\n').filter((line) => /^\s+\w+[[({]/.test(line)).length;
  expect(nodes).toBeLessThanOrEqual(16);
  expect(Object.keys(template.Resources).length).toBeGreaterThan(3 * nodes);
});

test('a changed template gives another diagram, and a file without markers is refused', () => {
  const resources = { ...template.Resources };
  const inbox = Object.keys(resources).find((id) => id.startsWith('OrdersInboxRule'))!;
  delete resources[inbox];
  expect(diagramOf({ Resources: resources })).not.toEqual(diagram);
  expect(() => withDiagram('# no markers\n', diagram, 'X.md')).toThrow(/X\.md has no '<!-- diagram:start -->'/);
});
