export * from './activity';
export * from './permissions';
export * from './connector-role';
export * from './static-credentials';
export * from './authentication';
