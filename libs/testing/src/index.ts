export * from './infrastructure';
export * from './service-process';
export * from './test-stack';
export * from './private-broker';
export * from './private-postgres';
export * from './repository-root';
export * from './oidc-login';
