// The construct face (jsii entry point): re-exports one folder per construct family, nothing else.
export * from './rolesanywhere';
export * from './access';
export * from './parameters';
export * from './receiving';
export * from './connector';
