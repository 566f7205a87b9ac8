/**
 * What a handler of the local deploy is: how it creates one resource type that moto's
 * CloudFormation lacks, and what the deploy gives it (kept apart so that each handler file can
 * name these types without importing the table of handlers).
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { JsonObject } from './intrinsics';
import type { DeployedGlobalEndpoint, RolesAnywhereRegistry } from './registry';

/** A resource created outside moto's CloudFormation: what `Ref` and `Fn::GetAtt` give. */
export interface LocalResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly note?: string;
}

export interface HandlerContext {
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  /** The pseudo parameters (`AWS::Region`, `AWS::AccountId`, ...) of the deploy. */
  readonly pseudo: Readonly<Record<string, string>>;
  readonly events: EventBridgeClient;
  readonly secrets: SecretsManagerClient;
  readonly sqs: SQSClient;
  readonly rolesAnywhere?: RolesAnywhereRegistry;
  /** The global endpoints recorded, for the deploy's result. */
  readonly globalEndpoints: DeployedGlobalEndpoint[];
  /** moto's EventBridge in another region (a global endpoint's secondary), closed with the deploy. */
  eventsIn(region: string): EventBridgeClient;
}

export interface ResourceHandler {
  /**
   * `before`: created before the stack, its properties may refer only to other resources created
   * here; `after`: created once moto has created the stack, its properties may refer to anything.
   */
  readonly phase: 'before' | 'after';
  /**
   * Identifiers known before creation, so that stack resources can refer to an `after` resource;
   * `raw` is the template's properties, unevaluated (a literal name may be read from it).
   */
  preassign?(logicalId: string, ctx: HandlerContext, raw: JsonObject): LocalResource;
  create(logicalId: string, props: JsonObject, ctx: HandlerContext, preassigned?: LocalResource): Promise<LocalResource>;
  /** Checks what must hold before anything is created, on the template's (unevaluated) properties. */
  precheck?(logicalId: string, raw: JsonObject, ctx: HandlerContext): Promise<void>;
}
