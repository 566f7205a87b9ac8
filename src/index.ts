// The construct face (jsii entry point): re-exports only.
export * from './rolesanywhere';
export * from './access';
export * from './parameters';
export * from './parameter-keys';
export * from './receiver';
export * from './connector';
