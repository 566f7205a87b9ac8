import type { GetParametersByPathCommandOutput } from '@aws-sdk/client-ssm';
import { checkParameterPath, keyOfParameterName, ParameterKeys, partitionOf } from '../../contract';
import { ConnectorError, ServiceError } from '../errors';
import { ssmModule } from '../sdk-modules';
import { Logger } from '../types';
import { parseConstants } from './parse';
import { isAccessDenied, refusalDetail, serviceErrorOf, SsmClientLike, SsmConnectionOptions, withSsm } from './ssm';
import { ConnectorConstants } from './types';

export interface LoadConstantsOptions extends SsmConnectionOptions {
  /** The connector's parameter path, e.g. `/eventbridge-connector/orders`. */
  readonly path: string;
  /**
   * The SSM client to read with (its region, credentials and endpoint then apply).
   * @default - a client made from `region`, `credentials` and `endpoint`
   */
  readonly ssm?: SsmClientLike;
  /** Receives a debug line for each parameter under the path that is not a contract key. */
  readonly logger?: Logger;
}

/** SSM's largest page for GetParametersByPath. */
const PAGE_SIZE = 10;
const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.values(ParameterKeys));

/** Reads the connector constants written under `path` and validates them (see {@link parseConstants}). */
export async function loadConstants(options: LoadConstantsOptions): Promise<ConnectorConstants> {
  const { path, logger } = options;
  const badPath = checkParameterPath(path);
  if (badPath) throw new ConnectorError('InvalidParameterPath', badPath);

  const values = await withSsm(options.ssm, options, (ssm) => readPath(ssm, path, options.region));
  const names = Object.keys(values);
  if (names.length === 0) {
    const region = options.region ? ` --region ${options.region}` : '';
    throw new ConnectorError('ParametersNotFound',
      `no parameters found at ${path}: expected the connector constants (${ParameterKeys.REGION}, ${ParameterKeys.EVENT_BUS_NAME}, ...) directly under it; ` +
      `check the path and region with: aws ssm get-parameters-by-path --path ${path}${region}`);
  }
  const unknown = names.filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) logger?.debug?.(`ignoring parameters at ${path} that are not connector constants: ${unknown.join(', ')}`);
  return parseConstants(values, { path });
}

/** `key -> value` of the parameters directly under `path`, one request per page. */
async function readPath(ssm: SsmClientLike, path: string, region: string | undefined): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    let page: GetParametersByPathCommandOutput;
    try {
      page = (await ssm.send(new (ssmModule().GetParametersByPathCommand)({
        Path: path,
        Recursive: false,
        MaxResults: PAGE_SIZE,
        NextToken: nextToken,
      }))) as GetParametersByPathCommandOutput;
    } catch (error) {
      throw readError(error, path, region);
    }
    for (const p of page.Parameters ?? []) {
      // Recursive: false already leaves out sub-paths; this also guards against endpoints that ignore it.
      const key = p.Name === undefined ? undefined : keyOfParameterName(path, p.Name);
      if (key !== undefined && p.Value !== undefined) values[key] = p.Value;
    }
    nextToken = page.NextToken || undefined;
    if (nextToken !== undefined) {
      // An endpoint handing back a token it already gave would otherwise keep us paging forever.
      if (seen.has(nextToken)) throw new ServiceError('InvalidNextToken', `reading ${path}: SSM returned the same NextToken twice`);
      seen.add(nextToken);
    }
  } while (nextToken !== undefined);
  return values;
}

function readError(error: unknown, path: string, region: string | undefined): ServiceError {
  const e = serviceErrorOf(error);
  if (isAccessDenied(e)) {
    const partition = (region && partitionOf(region)?.id) ?? 'aws';
    // GetParametersByPath is authorized against the path itself, not against the parameters under it.
    return new ServiceError('AccessDenied',
      `access denied reading the connector constants at ${path}: the principal needs ssm:GetParametersByPath on ` +
      `arn:${partition}:ssm:${region ?? '<region>'}:<account>:parameter${path} (${refusalDetail(e)})`,
      e.statusCode, { cause: error });
  }
  return new ServiceError(e.name, `reading the connector constants at ${path} failed: ${e.name}: ${e.message}`, e.statusCode, { cause: error });
}
