// The props of a SecondaryRegionConnector and the plain values a multi-region connector hands it.
import type { ITrustAnchor } from '../rolesanywhere';

/**
 * What the secondary region's stack needs of a multi-region connector, as plain values (no
 * cross-stack or cross-region reference): `EventBridgeConnector.secondaryRegionAttributes`, or
 * the same values written out by hand in another app.
 */
export interface SecondaryRegionAttributes {
  /** The connector's (primary) region, e.g. `eu-west-1`. */
  readonly primaryRegion: string;

  /** The secondary region, e.g. `eu-central-1`: the region of the stack the attributes are used in. */
  readonly secondaryRegion: string;

  /** Name of the connector's bus; the secondary region's bus gets the same name. */
  readonly eventBusName: string;

  /** The connector's parameter path, written in the secondary region too. */
  readonly parameterPath: string;

  /** The connector's resource name prefix, e.g. `orders.`. */
  readonly resourceNamePrefix: string;

  /** Name of the connector's role (IAM is global: both regions' profiles list it). */
  readonly roleName: string;

  /** Session length in seconds, 900 to 43200, as the primary's profile. */
  readonly sessionDurationSeconds: number;

  /** Whether the primary's profile accepts role session names; the secondary's does the same. */
  readonly acceptRoleSessionName: boolean;

  /**
   * The role session name the runtime asks for.
   *
   * @default - none
   */
  readonly sessionName?: string;

  /**
   * SHA-256 fingerprint of the only client certificate the runtime may present.
   *
   * @default - none
   */
  readonly clientCertificateId?: string;

  /**
   * The CA certificates (PEM) the primary's trust anchor was created from; the secondary
   * region's trust anchor trusts the same CA.
   *
   * @default - none: the primary was given a trust anchor, so give `trustAnchor` to the secondary
   */
  readonly caCertificates?: string;
}

/** Properties of a {@link SecondaryRegionConnector}. */
export interface SecondaryRegionConnectorProps {
  /** The primary connector's values: `EventBridgeConnector.secondaryRegionAttributes`. */
  readonly primary: SecondaryRegionAttributes;

  /**
   * A trust anchor of this region (Roles Anywhere is regional). The primary connector's role
   * trusts the trust anchors of this region of the account (or the one named by
   * `ConnectorGlobalEndpointOptions.secondaryTrustAnchorArn`).
   *
   * @default - a trust anchor of `primary.caCertificates`
   */
  readonly trustAnchor?: ITrustAnchor;
}
