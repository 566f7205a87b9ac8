// Every template a construct test synthesizes through `Template.fromStack` is linted by cfn-lint
// (AWS's CloudFormation linter) once per test file, so no test has to remember to do it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const testPath = expect.getState().testPath ?? '';
const constructTest = !/[/\\]test[/\\](runtime|local|contract|cli)[/\\]/.test(testPath);

if (constructTest) {
  // Loaded only for construct tests: the runtime's tests must not pay for aws-cdk-lib.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Template } = require('aws-cdk-lib/assertions') as typeof import('aws-cdk-lib/assertions');
  const templates: Array<{ name: string; body: unknown }> = [];
  const fromStack = Template.fromStack.bind(Template);
  Template.fromStack = (stack, options) => {
    const template = fromStack(stack, options);
    templates.push({ name: stack.artifactId, body: template.toJSON() });
    return template;
  };

  afterAll(() => {
    if (templates.length === 0) return;
    const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    try {
      const files = templates.map((t, i) => {
        const file = join(dir, `${i}-${t.name}.json`);
        writeFileSync(file, JSON.stringify(t.body));
        return file;
      });
      const run = spawnSync('cfn-lint', ['--format', 'parseable', '--non-zero-exit-code', 'error', '--', ...files], { encoding: 'utf8' });
      if (run.error) {
        throw new Error(`cannot run cfn-lint (${run.error.message}): install it with python3 -m pip install cfn-lint`);
      }
      if (run.status !== 0) {
        throw new Error(`cfn-lint found errors in templates synthesized by ${testPath}:\n${run.stdout}${run.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
}
