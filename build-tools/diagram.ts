// The README's picture of what gets built: a Mermaid flowchart derived from the reference app's
// synthesized connector template (examples/reference), condensed so that it reads: the SSM
// parameters are one node, alarms one node, an API destination carries its connection and API key
// secret, a rule its events role, a queue its policy; IAM policies become edges from the role to
// what they name. `npx projen diagram` (build-tools/write-diagram.ts) writes it into the markdown
// files between the markers; test/package/diagram.test.ts fails while a copy is stale.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ReferenceConnectorStack } from '../examples/reference/stacks';

/** The files that hold a copy of the diagram, from the repository root. */
export const DIAGRAM_FILES = ['README.md', 'docs/architecture.md'];
export const START_MARKER = '<!-- diagram:start -->';
export const END_MARKER = '<!-- diagram:end -->';
export const COMMAND = 'npx projen diagram';

export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}
export interface Template {
  readonly Resources: Record<string, Resource>;
}

/** The reference app's connector stack, synthesized in a temporary folder that is removed. */
export function referenceTemplate(root: string): Template {
  const outdir = mkdtempSync(join(tmpdir(), 'diagram-'));
  try {
    const app = new App({ outdir });
    const caCertificates = readFileSync(join(root, 'examples', 'reference', 'example-ca.pem'), 'utf8');
    const stack = new ReferenceConnectorStack(app, 'OrdersConnector', { caCertificates });
    return app.synth().getStackByName(stack.stackName).template as Template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Logical ids that `value` refers to (Ref, Fn::GetAtt, and those inside Fn::Join and the like). */
function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') return [object.Ref];
  if (Array.isArray(object['Fn::GetAtt'])) return [String(object['Fn::GetAtt'][0])];
  return Object.values(object).flatMap(references);
}

/** The literal text of a value, tokens left out (to match ARNs built with Fn::Join). */
function literal(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(literal).join('');
  if (value !== null && typeof value === 'object' && Array.isArray((value as any)['Fn::Join'])) return literal((value as any)['Fn::Join'][1]);
  return '';
}

/** An event pattern in a few words: `source: com.example.orders`, `*` for a match-all prefix. */
function pattern(eventPattern: Record<string, unknown> | undefined): string {
  if (!eventPattern) return 'no pattern';
  return Object.entries(eventPattern).map(([key, values]) => {
    const shown = (Array.isArray(values) ? values : [values]).map((v) =>
      (v !== null && typeof v === 'object' && (v as any).prefix === '' ? '*' : typeof v === 'string' ? v : JSON.stringify(v)));
    return `${key}: ${shown.join(', ')}`;
  }).join('; ');
}

function days(seconds: number | undefined): string {
  return seconds === undefined ? '' : `, ${Math.round(seconds / 86400)} days`;
}

/** A label Mermaid takes inside `"..."`. */
function label(lines: string[]): string {
  return lines.filter((line) => line !== '').map((line) => line.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>');
}

/** `PutEvents, DescribeEventBus`, at most two actions then `+n`. */
function actions(list: string[]): string {
  const names = [...new Set(list.map((action) => action.replace(/^[a-z0-9-]+:/, '')))];
  return names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} +${names.length - 2}`;
}

/** The Mermaid flowchart of `template`. */
export function diagramOf(template: Template): string {
  const resources = Object.entries(template.Resources).sort(([a], [b]) => a.localeCompare(b));
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
  const props = (id: string) => template.Resources[id]?.Properties ?? {};
  const node = new Map<string, string>(); // logical id -> the diagram node that shows it
  const lines: string[] = [];
  const edges: string[] = [];
  // Node ids: the logical id without CDK's hash suffix, so that the diagram reads in its source
  // too; the whole logical id where two would meet.
  const short = (logicalId: string) => logicalId.replace(/[^A-Za-z0-9]/g, '').replace(/(?<=[a-z])[0-9A-F]{8}$/, '');
  const taken = new Map<string, number>();
  for (const [logicalId] of resources) taken.set(short(logicalId), (taken.get(short(logicalId)) ?? 0) + 1);
  const id = (logicalId: string) => (taken.get(short(logicalId)) === 1 ? short(logicalId) : logicalId.replace(/[^A-Za-z0-9]/g, ''));
  const edge = (from: string, to: string, text: string, dotted = false) => {
    if (!from || !to || from === to) return;
    const line = dotted ? `  ${from} -.->|"${text}"| ${to}` : `  ${from} -->|"${text}"| ${to}`;
    if (!edges.includes(line)) edges.push(line);
  };

  // Roles: the one a trust anchor is trusted by is the app's role; a role that a rule assumes is
  // folded into that rule.
  const ruleRoles = new Set(ofType('AWS::Events::Rule').flatMap(([, r]) => (r.Properties?.Targets ?? []).flatMap((t: any) => references(t.RoleArn))));
  const archives = ofType('AWS::Events::Archive');
  const deadLetters = new Set([
    ...ofType('AWS::SQS::Queue').flatMap(([, r]) => references(r.Properties?.RedrivePolicy?.deadLetterTargetArn)),
    ...ofType('AWS::Events::Rule').flatMap(([, r]) => (r.Properties?.Targets ?? []).flatMap((t: any) => references(t.DeadLetterConfig?.Arn))),
  ]);

  const stackLines: string[] = [];
  const anchors = ofType('AWS::RolesAnywhere::TrustAnchor');
  const profiles = ofType('AWS::RolesAnywhere::Profile');
  if (anchors.length + profiles.length > 0) {
    stackLines.push('    subgraph rolesanywhere ["IAM Roles Anywhere"]');
    for (const [logicalId] of anchors) {
      node.set(logicalId, id(logicalId));
      stackLines.push(`      ${id(logicalId)}["${label(['trust anchor', 'the CA of your apps'])}"]`);
    }
    for (const [logicalId, r] of profiles) {
      node.set(logicalId, id(logicalId));
      const hours = r.Properties?.DurationSeconds === undefined ? '' : `sessions of ${r.Properties.DurationSeconds / 3600} h`;
      stackLines.push(`      ${id(logicalId)}["${label(['profile', hours])}"]`);
    }
    stackLines.push('    end');
  }
  for (const [logicalId, r] of ofType('AWS::IAM::Role')) {
    if (ruleRoles.has(logicalId)) continue;
    const service = JSON.stringify(r.Properties?.AssumeRolePolicyDocument ?? {}).match(/"([a-z0-9-]+)\.amazonaws\.com"/)?.[1];
    node.set(logicalId, id(logicalId));
    stackLines.push(`    ${id(logicalId)}["${label(['role', service === 'rolesanywhere' ? 'least privilege per activity' : `for ${service ?? 'a principal'}`])}"]`);
  }
  const parameters = ofType('AWS::SSM::Parameter');
  if (parameters.length > 0) {
    const names = parameters.map(([, r]) => String(r.Properties?.Name ?? ''));
    const path = names.reduce((common, name) => {
      let i = 0;
      while (i < common.length && common[i] === name[i]) i++;
      return common.slice(0, i);
    }).replace(/\/[^/]*$/, '');
    for (const [logicalId] of parameters) node.set(logicalId, 'parameters');
    stackLines.push(`    parameters[("${label([`${parameters.length} SSM parameters`, `${path}/*`, 'the connector constants'])}")]`);
  }
  for (const [logicalId] of ofType('AWS::Events::EventBus')) {
    node.set(logicalId, id(logicalId));
    const archive = archives.find(([, a]) => references(a.Properties?.SourceArn).includes(logicalId));
    for (const [archiveId] of archives) if (archive && archiveId === archive[0]) node.set(archiveId, id(logicalId));
    stackLines.push(`    ${id(logicalId)}{{"${label(['event bus', archive ? `archive${days((archive[1].Properties?.RetentionDays ?? 0) * 86400)}` : ''])}"}}`);
  }
  for (const [logicalId, r] of ofType('AWS::Events::Rule')) {
    node.set(logicalId, id(logicalId));
    for (const roleId of (r.Properties?.Targets ?? []).flatMap((t: any) => references(t.RoleArn))) node.set(roleId, id(logicalId));
    const name = typeof r.Properties?.Name === 'string' ? `rule ${r.Properties.Name}` : 'rule';
    stackLines.push(`    ${id(logicalId)}["${label([name, pattern(r.Properties?.EventPattern)])}"]`);
  }
  for (const [logicalId, r] of ofType('AWS::Events::ApiDestination')) {
    node.set(logicalId, id(logicalId));
    const connection = references(r.Properties?.ConnectionArn)[0];
    const connectionProps = connection ? props(connection) : {};
    if (connection) node.set(connection, id(logicalId));
    for (const secret of references(connectionProps.AuthParameters)) node.set(secret, id(logicalId));
    stackLines.push(`    ${id(logicalId)}["${label([
      `API destination ${r.Properties?.Name ?? ''}`.trim(),
      connection ? `connection ${connectionProps.Name ?? ''}${connectionProps.AuthorizationType === 'API_KEY' ? ', API key in Secrets Manager' : ''}` : '',
    ])}"]`);
  }
  for (const [logicalId, r] of ofType('AWS::SQS::Queue')) {
    node.set(logicalId, id(logicalId));
    const kind = deadLetters.has(logicalId) ? 'dead-letter queue' : 'queue';
    const encrypted = r.Properties?.SqsManagedSseEnabled || r.Properties?.KmsMasterKeyId ? 'encrypted' : '';
    stackLines.push(`    ${id(logicalId)}[["${label([kind, `${encrypted}${days(r.Properties?.MessageRetentionPeriod)}`.replace(/^, /, '')])}"]]`);
  }
  for (const [logicalId, r] of ofType('AWS::SQS::QueuePolicy')) {
    for (const queue of references(r.Properties?.Queues)) node.set(logicalId, node.get(queue) ?? '');
  }
  const alarms = ofType('AWS::CloudWatch::Alarm');
  if (alarms.length > 0) {
    for (const [logicalId] of alarms) node.set(logicalId, 'alarms');
    stackLines.push(`    alarms(["${label([`${alarms.length} CloudWatch alarms`])}"])`);
  }
  const unknown = resources.filter(([logicalId, r]) => !node.has(logicalId) && r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::SecretsManager::Secret');
  for (const [logicalId, r] of unknown) {
    node.set(logicalId, id(logicalId));
    stackLines.push(`    ${id(logicalId)}["${label([r.Type.replace(/^AWS::/, '')])}"]`);
  }

  // Edges, from what each resource names.
  edge('app', 'rolesanywhere', 'CreateSession, signed with its X.509 key');
  for (const [logicalId, r] of profiles) for (const role of references(r.Properties?.RoleArns)) edge(node.get(logicalId)!, node.get(role)!, 'session as');
  for (const [logicalId, r] of ofType('AWS::IAM::Role')) {
    if (ruleRoles.has(logicalId)) continue;
    for (const anchor of references(r.Properties?.AssumeRolePolicyDocument)) {
      if (template.Resources[anchor]?.Type === 'AWS::RolesAnywhere::TrustAnchor') edge(node.get(anchor)!, node.get(logicalId)!, 'trusted only from', true);
    }
  }
  for (const [, policy] of ofType('AWS::IAM::Policy')) {
    const roles = references(policy.Properties?.Roles).filter((role) => !ruleRoles.has(role));
    const byTarget = new Map<string, string[]>();
    for (const statement of policy.Properties?.PolicyDocument?.Statement ?? []) {
      const list: string[] = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      const targets = new Set<string>();
      for (const resource of Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) {
        for (const ref of references(resource)) if (node.get(ref)) targets.add(node.get(ref)!);
        const text = literal(resource);
        // ARNs written out: SSM parameters by path, connections and API destinations by name prefix.
        for (const [paramId, p] of parameters) if (text.endsWith(`:parameter${p.Properties?.Name}`) || text.endsWith(`:parameter${String(p.Properties?.Name).replace(/\/[^/]*$/, '')}`)) targets.add(node.get(paramId)!);
        const prefix = /:(?:connection|api-destination)\/([^*]+)\*$/.exec(text)?.[1];
        if (prefix) {
          for (const [destId, d] of ofType('AWS::Events::ApiDestination')) if (String(d.Properties?.Name ?? '').startsWith(prefix)) targets.add(node.get(destId)!);
        }
      }
      for (const target of targets) byTarget.set(target, [...(byTarget.get(target) ?? []), ...list]);
    }
    for (const role of roles) for (const [target, list] of byTarget) edge(node.get(role)!, target, actions(list));
  }
  for (const [logicalId, r] of ofType('AWS::Events::Rule')) {
    for (const bus of references(r.Properties?.EventBusName)) edge(node.get(bus)!, node.get(logicalId)!, 'matches');
    for (const target of r.Properties?.Targets ?? []) {
      for (const to of references(target.Arn)) edge(node.get(logicalId)!, node.get(to)!, 'target');
      for (const to of references(target.DeadLetterConfig?.Arn)) edge(node.get(logicalId)!, node.get(to)!, 'undeliverable', true);
    }
  }
  for (const [logicalId, r] of ofType('AWS::SQS::Queue')) {
    for (const to of references(r.Properties?.RedrivePolicy?.deadLetterTargetArn)) {
      edge(node.get(logicalId)!, node.get(to)!, `after ${r.Properties?.RedrivePolicy?.maxReceiveCount} receives`, true);
    }
  }
  for (const [logicalId, r] of ofType('AWS::Events::ApiDestination')) {
    edge(node.get(logicalId)!, 'app', `${r.Properties?.HttpMethod ?? 'POST'} ${r.Properties?.InvocationEndpoint ?? ''}`.trim());
  }
  for (const [, r] of alarms) {
    const watched = references(r.Properties?.Dimensions).map((ref) => node.get(ref)!).filter(Boolean);
    // An alarm on a rule names its bus too: the rule is what it watches.
    const target = watched.find((n) => ofType('AWS::Events::Rule').some(([ruleId]) => node.get(ruleId) === n)) ?? watched[0];
    if (target) edge('alarms', target, 'watches', true);
  }

  lines.push('flowchart LR');
  lines.push(`  app(["${label(['your app, inside or outside AWS', 'X.509 certificate, cdk-eventbridge-connector/runtime'])}"])`);
  lines.push('  subgraph stack ["connector stack"]');
  lines.push(...stackLines);
  lines.push('  end');
  lines.push(...edges);
  return lines.join('\n');
}

/** The markdown block between the markers. */
export function diagramBlock(diagram: string): string {
  return [
    START_MARKER,
    `<!-- generated by \`${COMMAND}\` from examples/reference: do not edit by hand -->`,
    '```mermaid',
    diagram,
    '```',
    END_MARKER,
  ].join('\n');
}

/** `markdown` with the block between its markers replaced; throws when the markers are missing. */
export function withDiagram(markdown: string, diagram: string, file: string): string {
  const start = markdown.indexOf(START_MARKER);
  const end = markdown.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`${file} has no '${START_MARKER}' ... '${END_MARKER}' block for the diagram`);
  return markdown.slice(0, start) + diagramBlock(diagram) + markdown.slice(end + END_MARKER.length);
}
