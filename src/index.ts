// The construct face (jsii entry point): re-exports one folder per construct family, nothing else.
export * from './rolesanywhere';
export * from './access';
export * from './parameters';
export * from './receiving';
export * from './claim-check';
export * from './connector';
export * from './global-endpoint';
export * from './secondary-region';
