// The access construct family: activities, permissions, the connector role, static credentials and authentication modes.
export * from './activity';
export * from './permissions';
export * from './connector-role';
export * from './static-credentials';
export * from './authentication';
