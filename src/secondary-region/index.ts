// SecondaryRegionConnector: what a multi-region connector needs in its secondary region (bus, Roles Anywhere, receivers, contract).
export * from './secondary-region-props';
export * from './secondary-region-connector';
