// deployLocally given a template it must refuse, refusing it before anything is created (moto's
// CloudFormation does not roll back: a stack or role left behind makes the corrected deploy fail
// with "already exists"): one region's template given the other region, the primary's template
// given a third region, and an AWS::Events::Endpoint edited by hand. After each refusal the right
// deploy succeeds on the same moto.
import { App } from 'aws-cdk-lib';
import { addTwoRegionStacks, TWO_REGION_PRIMARY, TWO_REGION_SECONDARY } from '../../examples/reference/two-region-stacks';
import { deployLocally } from '../../src/local/deploy';
import type { JsonObject } from '../../src/local/deploy/intrinsics';
import { MotoServer, startMoto } from '../../src/local/moto';
import { RolesAnywhereService, startRolesAnywhereService } from '../../src/local/rolesanywhere-service';
import { EXAMPLE_CA } from '../connector/fixtures';

const PRIMARY_STACK = 'OrdersGlobalPrimary';
const SECONDARY_STACK = 'OrdersGlobalSecondary';

let moto: MotoServer;
let rolesAnywhere: RolesAnywhereService;
let templates: { primary: JsonObject; secondary: JsonObject };

beforeAll(async () => {
  moto = await startMoto();
  rolesAnywhere = await startRolesAnywhereService({ stsEndpoint: moto.endpoint });
  const app = new App();
  const { primaryStack, secondaryStack } = addTwoRegionStacks(app, { caCertificates: EXAMPLE_CA });
  const assembly = app.synth();
  const templateOf = (stackName: string) => assembly.getStackByName(stackName).template as JsonObject;
  templates = { primary: templateOf(primaryStack.stackName), secondary: templateOf(secondaryStack.stackName) };
});

afterAll(async () => {
  await rolesAnywhere?.stop();
  await moto?.stop();
});

const deploy = (template: JsonObject, stackName: string, region: string) =>
  deployLocally({ template: template as never, stackName, endpoint: moto.endpoint, region, rolesAnywhere });

/** The primary template with its endpoint's properties changed by `edit`. */
function editedEndpoint(edit: (properties: JsonObject) => void): JsonObject {
  const template = structuredClone(templates.primary);
  const endpoint = Object.values(template.Resources as Record<string, JsonObject>).find((r) => r.Type === 'AWS::Events::Endpoint')!;
  edit(endpoint.Properties as JsonObject);
  return template;
}
const failover = (p: JsonObject) => (p.RoutingConfig as JsonObject).FailoverConfig as Record<string, JsonObject>;

test('the secondary region\'s template given the primary region is refused, naming both regions, and then deploys into its own', async () => {
  await expect(deploy(templates.secondary, SECONDARY_STACK, TWO_REGION_PRIMARY)).rejects.toThrow(
    `invalid region '${TWO_REGION_PRIMARY}' for this template: its contract parameter '/eventbridge-connector/orders-global/Region'`);
  await expect(deploy(templates.secondary, SECONDARY_STACK, TWO_REGION_PRIMARY)).rejects.toThrow(`expected region '${TWO_REGION_SECONDARY}'`);
  await deploy(templates.secondary, SECONDARY_STACK, TWO_REGION_SECONDARY);
});

test('the primary\'s template given the secondary or a third region is refused before anything is created', async () => {
  for (const region of [TWO_REGION_SECONDARY, 'eu-west-1']) {
    await expect(deploy(templates.primary, PRIMARY_STACK, region)).rejects.toThrow(`invalid region '${region}' for this template`);
  }
});

test('an endpoint edited by hand is refused before the stack is created, and the unedited template then deploys', async () => {
  const edits: Array<[(p: JsonObject) => void, string]> = [
    [(p) => { failover(p).Secondary.Route = TWO_REGION_PRIMARY; }, `invalid RoutingConfig.FailoverConfig.Secondary.Route '${TWO_REGION_PRIMARY}'`],
    [(p) => { failover(p).Primary.HealthCheck = 'nonsense'; }, "invalid RoutingConfig.FailoverConfig.Primary.HealthCheck 'nonsense'"],
    [(p) => { delete failover(p).Primary.HealthCheck; }, 'missing RoutingConfig.FailoverConfig.Primary.HealthCheck'],
    [(p) => { p.EventBuses = (p.EventBuses as JsonObject[]).slice(0, 1); }, 'invalid EventBuses of global endpoint OrdersGlobalEndpoint'],
    [(p) => { p.ReplicationConfig = { State: 'ON' }; }, "invalid ReplicationConfig.State 'ON'"],
    [(p) => { delete p.RoleArn; }, "missing RoleArn of global endpoint OrdersGlobalEndpoint40C6A174: replication is 'ENABLED'"],
  ];
  for (const [edit, message] of edits) await expect(deploy(editedEndpoint(edit), PRIMARY_STACK, TWO_REGION_PRIMARY)).rejects.toThrow(message);
  const result = await deploy(templates.primary, PRIMARY_STACK, TWO_REGION_PRIMARY);
  expect(result.globalEndpoints).toEqual([expect.objectContaining({ primaryRegion: TWO_REGION_PRIMARY, secondaryRegion: TWO_REGION_SECONDARY })]);
});
