export * from './infrastructure';
export * from './service-process';
export * from './test-stack';
export * from './private-broker';
